"""What a call engine case must report: its attempts and its events.

Shared by ../generate.py (payouts) and openbanking/generate.py. The script
of a case (its exchanges, in order) already shows every decision the engine
took: a request of the same phase after an answer is a retry, a lookup after
the operation is a lookup started, the operation after a lookup is a lookup
that found nothing. So the expected events are read off the exchanges and
the expected result by these rules, never computed with the SDK; the Rust
runners then hold the engine to them.

Every answered exchange gets an `X-Request-Id` of `req-N` (N is the
attempt's number), so that the request id of each attempt is checked too.
"""

import copy


def _retry_after(reply):
    return any(name.lower() == "retry-after" for name in (reply.get("headers") or {}))


def _reason(reply):
    if "transportError" in reply:
        return {"reason": reply["transportError"]}
    return {"reason": "status", "status": reply["status"]}


def _may_have_applied(reply):
    kind = reply.get("transportError")
    if kind is not None:
        return kind != "connect"
    status = reply["status"]
    return status == 408 or 500 <= status <= 599 or not 100 <= status <= 599


def _verdict(reply, expect):
    if "status" not in reply:
        return "unavailable"
    if reply["status"] == 404:
        return "not_found"
    if 200 <= reply["status"] <= 299:
        if "value" in expect:
            return "same"
        error = expect["error"]
        if error["code"] == "conflict":
            return "differs"
        if error["code"] == "transport" and error.get("outcomeUnknown"):
            return "missing"
    return "unavailable"


def with_trace(case, sent_ids):
    """Returns `case` with request ids on its answers, and `attempts` and
    `events` (each event given by the keys a runner checks) before its
    `expect`. `sent_ids` is the caller's ids a lookup is made by."""
    out = {k: v for k, v in case.items() if k != "expect"}
    exchanges = [copy.deepcopy(exchange) for exchange in case["exchanges"]]
    expect = case["expect"]
    operation = case["call"]["operation"]
    first_method = exchanges[0]["request"]["method"]
    attempts, events = [], []
    for i, exchange in enumerate(exchanges):
        number = i + 1
        request, reply = exchange["request"], exchange["reply"]
        phase = "operation" if request["method"] == first_method else "lookup"
        attempt = {"attempt": number, "phase": phase}
        events.append({"event": "attempt_sent", "operation": operation, "phase": phase,
                       "method": request["method"], "path": request["path"], "attempt": number})
        if "interrupt" in reply:
            attempts.append(attempt)
            break
        if "transportError" in reply:
            attempt["transportError"] = reply["transportError"]
            events.append({"event": "transport_failed", "attempt": number, "kind": reply["transportError"]})
        else:
            request_id = f"req-{number}"
            reply["headers"] = {**(reply.get("headers") or {}), "X-Request-Id": request_id}
            attempt.update(status=reply["status"], requestId=request_id)
            events.append({"event": "answer_received", "attempt": number, "status": reply["status"],
                           "requestId": request_id})
        attempts.append(attempt)
        following = exchanges[i + 1] if i + 1 < len(exchanges) else None
        if following is None:
            if phase == "lookup":
                events.append({"event": "lookup_finished", "verdict": _verdict(reply, expect)})
            break
        next_phase = "operation" if following["request"]["method"] == first_method else "lookup"
        if phase == next_phase:
            events.append({"event": "retry_scheduled", "phase": phase, **_reason(reply),
                           "retryAfter": _retry_after(reply)})
        elif next_phase == "lookup":
            reason = "outcome_unknown" if _may_have_applied(reply) else "refused"
            events.append({"event": "lookup_started", "reason": reason, "ids": sent_ids})
        else:
            events.append({"event": "lookup_finished", "verdict": "not_found"})
            events.append({"event": "retry_scheduled", "phase": "operation", "reason": "nothing_created",
                           "retryAfter": False})
    finished = {"event": "call_finished", "operation": operation, "ok": "value" in expect}
    if "error" in expect:
        finished["code"] = expect["error"]["code"]
        if "outcomeUnknown" in expect["error"]:
            finished["outcomeUnknown"] = expect["error"]["outcomeUnknown"]
    events.append(finished)
    out["exchanges"] = exchanges
    out["attempts"] = attempts
    out["events"] = events
    out["expect"] = expect
    return out
