//! Walking every page of a list operation, written once for all of them.
//!
//! An operation pages when the spec gives it an `x-stamps-pagination` extension
//! (which list field holds the items, which parameter takes the cursor, which item
//! field the cursor comes from, and the "more" flag, if the page has one). build.rs
//! reads it and implements [`Paginated`] for the operation's builder, with about ten
//! lines of glue, plus three methods on the builder:
//!
//! - `pages()`: a `Stream` of every page's answer, one call per page;
//! - `stream()`: a `Stream` of every item across pages (single-cursor lists);
//! - `collect_all()`: every item, in a `Vec` (single-cursor lists).
//!
//! `list_rewards` has `pages()` only: each of its pages holds two lists, rewards and
//! vouchers, each with its own cursor.
//!
//! Later pages are sent from a clone of the first builder with the cursor set, so
//! every filter the caller set is kept. The stream stops at the first error (which it
//! yields), when the page says no more follow, on an empty page, and when a cursor
//! repeats (a server that ignores the cursor would otherwise loop forever).
//!
//! ```no_run
//! use futures_util::TryStreamExt;
//!
//! # async fn run(client: stamps::Client) -> stamps::Result<()> {
//! let mut transactions = client.list_member_transactions().user("alice@example.com").stream();
//! while let Some(transaction) = transactions.try_next().await? {
//!     println!("{:?} {:?}", transaction.id, transaction.value);
//! }
//! # Ok(()) }
//! ```

use std::future::Future;
use std::pin::Pin;

use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};
use serde_json::Value;

use crate::Error;

/// A boxed future, as the generated glue returns it.
pub type PageFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'a>>;

/// A request for one page of a list operation: implemented by build.rs for the
/// builder of every operation with `x-stamps-pagination`.
pub trait Paginated<'a>: Clone + Send + Sized + 'a {
    /// The operation's answer (one page).
    type Page: Send + 'a;

    /// Sends this request.
    fn fetch(self) -> PageFuture<'a, Self::Page>;

    /// Whether `page` holds no items.
    fn is_empty(page: &Self::Page) -> bool;

    /// The page's "more" flag, if the operation has one.
    fn more(page: &Self::Page) -> Option<bool>;

    /// The request for the page after `page`, with the cursor (as JSON, to notice a
    /// repeat); `None` when the page gives no cursor.
    fn after(&self, page: &Self::Page) -> Option<(Self, Value)>;
}

/// A [`Paginated`] request whose pages hold one list of items.
pub trait PaginatedItems<'a>: Paginated<'a> {
    /// One item of the list.
    type Item: Send + 'a;

    /// The page's items.
    fn into_items(page: Self::Page) -> Vec<Self::Item>;
}

/// Every page, starting with `first`'s.
pub fn pages<'a, R: Paginated<'a>>(first: R) -> BoxStream<'a, Result<R::Page, Error>> {
    struct Walk<R> {
        next: Option<R>,
        seen: Vec<Value>,
        first: bool,
    }
    let start = Walk {
        next: Some(first),
        seen: Vec::new(),
        first: true,
    };
    stream::try_unfold(start, |mut walk| async move {
        let Some(request) = walk.next.take() else {
            return Ok(None);
        };
        let page = request.clone().fetch().await?;
        let empty = R::is_empty(&page);
        if empty && !walk.first {
            return Ok(None);
        }
        walk.first = false;
        if !empty
            && R::more(&page) != Some(false)
            && let Some((next, cursor)) = request.after(&page)
            && !walk.seen.contains(&cursor)
        {
            walk.seen.push(cursor);
            walk.next = Some(next);
        }
        Ok(Some((page, walk)))
    })
    .boxed()
}

/// Every item of every page, starting with `first`'s.
pub fn items<'a, R: PaginatedItems<'a>>(first: R) -> BoxStream<'a, Result<R::Item, Error>> {
    pages(first)
        .map_ok(|page| stream::iter(R::into_items(page).into_iter().map(Ok)))
        .try_flatten()
        .boxed()
}

/// Every item of every page, collected.
pub async fn collect_all<'a, R: PaginatedItems<'a>>(first: R) -> Result<Vec<R::Item>, Error> {
    items(first).try_collect().await
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// A scripted list: pages by cursor, recording the cursors asked for.
    #[derive(Clone)]
    struct Script {
        cursor: Option<u64>,
        pages: Arc<Vec<(Vec<u64>, Option<bool>)>>,
        asked: Arc<Mutex<Vec<Option<u64>>>>,
        fail_at: Option<u64>,
    }

    impl<'a> Paginated<'a> for Script {
        type Page = (Vec<u64>, Option<bool>);
        fn fetch(self) -> PageFuture<'a, Self::Page> {
            Box::pin(async move {
                self.asked.lock().unwrap().push(self.cursor);
                if self.cursor.is_some() && self.cursor == self.fail_at {
                    return Err(Error::invalid_input("scripted failure"));
                }
                let index = match self.cursor {
                    None => 0,
                    Some(c) => self
                        .pages
                        .iter()
                        .position(|(items, _)| items.contains(&c))
                        .map_or(usize::MAX, |i| i + 1),
                };
                Ok(self.pages.get(index).cloned().unwrap_or_default())
            })
        }
        fn is_empty(page: &Self::Page) -> bool {
            page.0.is_empty()
        }
        fn more(page: &Self::Page) -> Option<bool> {
            page.1
        }
        fn after(&self, page: &Self::Page) -> Option<(Self, Value)> {
            let last = *page.0.last()?;
            let mut next = self.clone();
            next.cursor = Some(last);
            Some((next, Value::from(last)))
        }
    }

    impl<'a> PaginatedItems<'a> for Script {
        type Item = u64;
        fn into_items(page: Self::Page) -> Vec<u64> {
            page.0
        }
    }

    fn script(pages: Vec<(Vec<u64>, Option<bool>)>) -> Script {
        Script {
            cursor: None,
            pages: Arc::new(pages),
            asked: Arc::default(),
            fail_at: None,
        }
    }

    fn run<T>(future: impl Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(future)
    }

    #[test]
    fn stops_when_the_page_says_no_more() {
        let s = script(vec![
            (vec![1, 2], Some(true)),
            (vec![3], Some(false)),
            (vec![4], None),
        ]);
        assert_eq!(run(collect_all(s.clone())).unwrap(), [1, 2, 3]);
        assert_eq!(*s.asked.lock().unwrap(), [None, Some(2)]);
    }

    #[test]
    fn without_a_flag_stops_on_an_empty_page() {
        let s = script(vec![(vec![1], None), (vec![2], None)]);
        assert_eq!(run(collect_all(s.clone())).unwrap(), [1, 2]);
        assert_eq!(*s.asked.lock().unwrap(), [None, Some(1), Some(2)]);
    }

    #[test]
    fn a_repeated_cursor_ends_the_walk() {
        // A server that ignores the cursor answers the same page forever.
        #[derive(Clone)]
        struct Stuck(Arc<Mutex<u32>>);
        impl<'a> Paginated<'a> for Stuck {
            type Page = Vec<u64>;
            fn fetch(self) -> PageFuture<'a, Vec<u64>> {
                *self.0.lock().unwrap() += 1;
                Box::pin(async { Ok(vec![7]) })
            }
            fn is_empty(page: &Vec<u64>) -> bool {
                page.is_empty()
            }
            fn more(_: &Vec<u64>) -> Option<bool> {
                Some(true)
            }
            fn after(&self, page: &Vec<u64>) -> Option<(Self, Value)> {
                Some((self.clone(), Value::from(*page.last()?)))
            }
        }
        let stuck = Stuck(Arc::default());
        let pages: Vec<_> = run(pages(stuck.clone()).try_collect::<Vec<_>>()).unwrap();
        assert_eq!(pages.len(), 2);
        assert_eq!(*stuck.0.lock().unwrap(), 2);
    }

    #[test]
    fn an_error_ends_the_stream_after_the_pages_before_it() {
        let mut s = script(vec![(vec![1], Some(true)), (vec![2], Some(true))]);
        s.fail_at = Some(1);
        let got: Vec<Result<u64, Error>> = run(items(s).collect());
        assert_eq!(got.len(), 2);
        assert_eq!(*got[0].as_ref().unwrap(), 1);
        assert!(matches!(got[1], Err(Error::InvalidInput { .. })));
    }

    #[test]
    fn an_empty_first_page_is_yielded_once() {
        let s = script(vec![]);
        let pages: Vec<_> = run(pages(s.clone()).try_collect::<Vec<_>>()).unwrap();
        assert_eq!(pages, [(vec![], None)]);
    }
}
