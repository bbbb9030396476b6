// Pagination: the pages of a list as one stream of items, and the rules that find the next
// page (a cursor, a page number, an offset, a `Link` header).

use reqwest::header::HeaderMap;
use serde_json::Value;

use super::error::Error;
use super::vendor::PAGE_TOTALS;

/// One page of a list, as a paginated stream's `fetch` returns it.
#[doc(hidden)]
#[derive(Debug)]
pub struct Page<T, P> {
    items: Vec<T>,
    next: Option<P>,
    numbered: bool,
}

impl<T, P> Page<T, P> {
    /// A page whose `next` the API gave (a cursor): `None` is the end.
    pub fn new(items: Vec<T>, next: Option<P>) -> Self {
        Page { items, next, numbered: false }
    }

    /// A page of a numbered list, `next` being the following number's params. It is the
    /// last when the API says so (`last`, from its totals), when it is empty, or when it
    /// is shorter than the longest page so far: a server that caps the page size below
    /// the size asked for sends full pages of its own size until the last.
    pub fn numbered(items: Vec<T>, next: P, last: bool) -> Self {
        Page { items, next: (!last).then_some(next), numbered: true }
    }
}

/// Whether page `page` (from 1) is the last, by the totals an envelope's `result_info`
/// gives (`total_pages`, or `total_count` with `per_page`); `false` when it gives none.
#[doc(hidden)]
pub fn last_page(info: Option<&Value>, page: f64) -> bool {
    let number = |key: &str| info?.get(key)?.as_f64();
    match (number(PAGE_TOTALS.pages), number(PAGE_TOTALS.count), number(PAGE_TOTALS.per_page)) {
        (Some(pages), _, _) => page >= pages,
        (None, Some(count), Some(per_page)) if per_page > 0.0 => page * per_page >= count,
        _ => false,
    }
}

/// A page offset: a count of items skipped, as the spec types it.
#[doc(hidden)]
pub trait Offset: Copy {
    /// The offset after `count` more items.
    fn advance(self, count: usize) -> Self;
    /// The offset as a float, to compare with a total.
    fn as_f64(self) -> f64;
}

macro_rules! offsets {
    ($($t:ty),*) => {$(
        impl Offset for $t {
            fn advance(self, count: usize) -> Self {
                self + count as $t
            }
            fn as_f64(self) -> f64 {
                self as f64
            }
        }
    )*};
}

offsets!(i32, i64, u32, u64, f64);

/// The offset of the page after one at `offset` with `count` items.
#[doc(hidden)]
pub fn offset_next<N: Offset>(offset: N, count: usize) -> N {
    offset.advance(count)
}

/// Whether the page at `offset` with `count` items is the last of `total` items (`false`
/// when the total is unknown).
#[doc(hidden)]
pub fn offset_last<N: Offset, M: Offset>(offset: N, count: usize, total: Option<M>) -> bool {
    total.is_some_and(|total| offset.as_f64() + count as f64 >= total.as_f64())
}

/// The `rel="next"` URL of a response's `Link` headers (RFC 8288), if there is one.
#[doc(hidden)]
pub fn link_next(headers: &HeaderMap) -> Option<String> {
    headers.get_all(reqwest::header::LINK).iter().filter_map(|v| v.to_str().ok()).find_map(|value| {
        let mut rest = value;
        loop {
            let start = rest.find('<')?;
            let end = start + rest[start..].find('>')?;
            let target = &rest[start + 1..end];
            rest = &rest[end + 1..];
            // The link's parameters run to the next `,` outside quotes.
            let (mut quoted, mut stop) = (false, rest.len());
            for (i, c) in rest.char_indices() {
                match c {
                    '"' => quoted = !quoted,
                    ',' if !quoted => {
                        stop = i;
                        break;
                    }
                    _ => {}
                }
            }
            let next = rest[..stop].split(';').any(|param| {
                let Some((name, value)) = param.split_once('=') else { return false };
                let value = value.trim().trim_matches('"');
                name.trim().eq_ignore_ascii_case("rel")
                    && value.split_whitespace().any(|r| r.eq_ignore_ascii_case("next"))
            });
            if next {
                return Some(target.trim().to_owned());
            }
            rest = &rest[stop..];
        }
    })
}

/// Every item of every page, as a stream: `fetch` gets one page's params and
/// returns the [`Page`], which says what comes next. An error ends the stream
/// after it is yielded.
#[doc(hidden)]
pub fn paginate<P, T, F, Fut>(params: P, fetch: F) -> impl futures_util::Stream<Item = Result<T, Error>>
where
    F: FnMut(P) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T, P>, Error>>,
{
    let start = (Some(params), std::collections::VecDeque::new(), fetch, 0usize);
    futures_util::stream::unfold(start, |(mut next, mut buffer, mut fetch, mut longest)| async move {
        loop {
            if let Some(item) = buffer.pop_front() {
                return Some((Ok(item), (next, buffer, fetch, longest)));
            }
            match fetch(next.take()?).await {
                Ok(page) => {
                    let len = page.items.len();
                    let short = page.numbered && (len == 0 || len < longest);
                    longest = longest.max(len);
                    buffer.extend(page.items);
                    next = if short { None } else { page.next };
                }
                Err(e) => return Some((Err(e), (None, buffer, fetch, longest))),
            }
        }
    })
}
