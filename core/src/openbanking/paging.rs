//! Paging of the open-banking list calls.

use serde_json::Value;

use crate::error::{Error, FieldErrorCode};
use crate::url::push_query;
use crate::validate::{field_error, merge_errors as merge, Problem};

/// Paging of the list calls (`page_number`/`page_size` on the customer
/// lists, `page`/`size` on the data v2 reads). The documents name the
/// parameters but not their bounds or base, so values are sent as given
/// (non-negative integers; a page size of zero is refused).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Paging {
    /// The page to read.
    pub page_number: Option<u32>,
    /// How many items per page.
    pub page_size: Option<u32>,
}

impl Paging {
    /// The paging, unless its page size is zero.
    pub(crate) fn checked(self) -> Result<Self, Error> {
        if self.page_size == Some(0) {
            return Err(field_error(
                "page_size",
                Problem::new(FieldErrorCode::OutOfRange, "must be at least 1"),
            ));
        }
        Ok(self)
    }

    /// Appends the given values to `path` as query parameters named
    /// `number_key` and `size_key`.
    pub(crate) fn append_query(&self, path: &mut String, number_key: &str, size_key: &str) {
        for (key, value) in [(number_key, self.page_number), (size_key, self.page_size)] {
            if let Some(value) = value {
                push_query(path, key, &value.to_string());
            }
        }
    }

    /// Reads `pageNumber` and `pageSize` of a call's JSON form.
    pub(crate) fn from_call(call: &Value) -> Result<Self, Error> {
        let page = |field: &str| -> Result<Option<u32>, Error> {
            match call.get(field) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => v
                    .as_u64()
                    .and_then(|n| u32::try_from(n).ok())
                    .map(Some)
                    .ok_or_else(|| {
                        field_error(
                            field,
                            Problem::new(
                                FieldErrorCode::InvalidType,
                                "must be a whole number from 0 to 4294967295",
                            ),
                        )
                    }),
            }
        };
        match (page("pageNumber"), page("pageSize")) {
            (Ok(page_number), Ok(page_size)) => Ok(Self {
                page_number,
                page_size,
            }),
            (n, s) => Err(merge(n.err().into_iter().chain(s.err()))
                .unwrap_or_else(|| Error::internal("a validation failed without an error"))),
        }
    }
}
