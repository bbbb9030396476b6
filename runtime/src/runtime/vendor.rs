// What some APIs do their own way, as data the generic code reads: the headers that carry a
// request id. Adding a vendor's header is a line here.

/// The headers that carry a response's request id, in order of preference.
pub(crate) const REQUEST_ID_HEADERS: [&str; 5] =
    ["cf-ray", "x-request-id", "request-id", "x-amzn-requestid", "twilio-request-id"];
