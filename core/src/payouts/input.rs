//! Reading a payouts call written as flat JSON (every value a string)
//! without building a parsed tree: the common shape of a gig or customer
//! input, borrowed straight from the host's text.

/// The most members a call or input read by [`FlatCall`] may have: a gig
/// has 8 fields; more sends the call to the parsed form.
const FLAT_MEMBERS: usize = 12;

/// Members of one JSON object whose values are all plain strings, borrowed
/// from the text, in the order given, duplicates included.
#[derive(Clone, Copy)]
pub(crate) struct FlatObject<'a> {
    members: [(&'a str, &'a str); FLAT_MEMBERS],
    len: usize,
}

impl<'a> FlatObject<'a> {
    const EMPTY: Self = Self {
        members: [("", ""); FLAT_MEMBERS],
        len: 0,
    };

    /// The members read.
    pub(crate) fn members(&self) -> &[(&'a str, &'a str)] {
        self.members.get(..self.len).unwrap_or_default()
    }

    /// The value of `key`, if given: the last one given, as in a parsed
    /// object.
    pub(crate) fn get(&self, key: &str) -> Option<&'a str> {
        self.members()
            .iter()
            .rev()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| *v)
    }

    /// Adds a member; `None` when there is no room left.
    fn push(&mut self, key: &'a str, value: &'a str) -> Option<()> {
        *self.members.get_mut(self.len)? = (key, value);
        self.len += 1;
        Some(())
    }
}

/// A call in the shape every binding writes, read straight from its JSON
/// text: an object whose members are plain strings (no escapes) besides an
/// `input` object whose members are plain strings too. Of members given
/// twice the last counts, as in a parsed object. Reading it costs one
/// pass over the text and no allocation, where parsing into a `Value` first
/// builds a map and copies every string (a fifth of a create-gig call in
/// wasm). Any other shape, and any text that is not JSON, reads as `None`,
/// and the caller parses the text into a `Value` instead: this reader only
/// ever accepts valid JSON, and only shapes whose meaning it cannot get
/// wrong, so the outcome is always exactly that of the parsed form.
pub(crate) struct FlatCall<'a> {
    /// The members besides `input` (`operation`, `gigId`, ...).
    pub(crate) args: FlatObject<'a>,
    /// The `input` member, when given.
    pub(crate) input: Option<FlatObject<'a>>,
}

impl<'a> FlatCall<'a> {
    /// Reads `text`, or `None` when it is not in the flat shape.
    pub(crate) fn read(text: &'a str) -> Option<Self> {
        let mut scan = Scan { text, at: 0 };
        let mut call = Self {
            args: FlatObject::EMPTY,
            input: None,
        };
        scan.object(|scan, key| {
            if key == "input" {
                if call.input.is_some() {
                    return None;
                }
                let mut input = FlatObject::EMPTY;
                scan.object(|scan, key| input.push(key, scan.string()?))?;
                call.input = Some(input);
                Some(())
            } else {
                call.args.push(key, scan.string()?)
            }
        })?;
        scan.skip_white_space();
        (scan.at == text.len()).then_some(call)
    }
}

/// A cursor over JSON text for [`FlatCall`].
struct Scan<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Scan<'a> {
    fn skip_white_space(&mut self) {
        let rest = self.text.as_bytes().get(self.at..).unwrap_or_default();
        self.at += rest
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            .count();
    }

    /// Consumes `byte` after optional white space.
    fn eat(&mut self, byte: u8) -> bool {
        self.skip_white_space();
        let found = self.text.as_bytes().get(self.at) == Some(&byte);
        self.at += usize::from(found);
        found
    }

    /// A string without escapes (and so without control characters, which
    /// JSON refuses unescaped), borrowed; `None` for anything else.
    fn string(&mut self) -> Option<&'a str> {
        if !self.eat(b'"') {
            return None;
        }
        let start = self.at;
        let rest = self.text.as_bytes().get(start..)?;
        let len = rest
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
        if rest.get(len) != Some(&b'"') {
            return None;
        }
        self.at = start + len + 1;
        // Both ends are next to an ASCII quote: character boundaries.
        self.text.get(start..start + len)
    }

    /// An object, handing each key to `member`, which reads its value.
    fn object(&mut self, mut member: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        if !self.eat(b'{') {
            return None;
        }
        if self.eat(b'}') {
            return Some(());
        }
        loop {
            let key = self.string()?;
            if !self.eat(b':') {
                return None;
            }
            member(self, key)?;
            if self.eat(b'}') {
                return Some(());
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flat_call_borrows_its_text() {
        let text = r#" {"operation" : "createGig","input":{"gigId":"g1","tips":""}, "x":"é"} "#;
        let call = FlatCall::read(text).expect("flat");
        assert_eq!(call.args.get("operation"), Some("createGig"));
        assert_eq!(call.args.get("x"), Some("é"));
        let input = call.input.expect("an input");
        assert_eq!(input.members(), [("gigId", "g1"), ("tips", "")]);
        let twice = FlatCall::read(r#"{"a":"b","a":"c"}"#).expect("flat");
        assert_eq!(twice.args.get("a"), Some("c"));
    }

    #[test]
    fn other_shapes_and_text_that_is_not_json_are_not_flat() {
        for text in [
            "",
            "{",
            "{}}",
            "{} x",
            "[]",
            r#"{"a":"b",}"#,
            r#"{,"a":"b"}"#,
            r#"{"a":"b""c":"d"}"#,
            r#"{"a" "b"}"#,
            r#"{"a":"b\"c"}"#,
            "{\"a\":\"b\u{1}\"}",
            r#"{"a":1}"#,
            r#"{"a":null}"#,
            r#"{"input":{},"input":{}}"#,
            r#"{"input":{"a":{}}}"#,
            r#"{"input":"text"}"#,
            r#"{"a":"b"}  {"#,
            "{\"a\":\"b\"}\u{a0}",
        ] {
            assert!(FlatCall::read(text).is_none(), "{text}");
        }
        let many: Vec<String> = (0..=FLAT_MEMBERS)
            .map(|i| format!("\"k{i}\":\"v\""))
            .collect();
        assert!(FlatCall::read(&format!("{{{}}}", many.join(","))).is_none());
        assert!(FlatCall::read(&format!("{{{}}}", many[1..].join(","))).is_some());
    }
}
