//! Lists read a page at a time with keyset cursors ("Load more"): the rows so far,
//! the next page's cursor and the last error. A load started later wins over a
//! slower earlier one (typing in a search box fires several).
use crate::error::AppError;
use leptos::prelude::*;
use std::future::Future;

pub struct KeysetList<T: Send + Sync + 'static, C: Send + Sync + 'static> {
    /// `None` until the first page arrives.
    pub rows: RwSignal<Option<Vec<T>>>,
    pub next: RwSignal<Option<C>>,
    pub error: RwSignal<Option<AppError>>,
    seq: StoredValue<u64>,
}

impl<T: Send + Sync + 'static, C: Send + Sync + 'static> Clone for KeysetList<T, C> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Send + Sync + 'static, C: Send + Sync + 'static> Copy for KeysetList<T, C> {}

impl<T: Send + Sync + 'static, C: Clone + Send + Sync + 'static> KeysetList<T, C> {
    pub fn new() -> Self {
        KeysetList {
            rows: RwSignal::new(None),
            next: RwSignal::new(None),
            error: RwSignal::new(None),
            seq: StoredValue::new(0),
        }
    }

    /// Loads the first page (`more == false`) or appends the next one: `fetch` gets
    /// the cursor and answers the page's rows and the cursor after them.
    pub fn load<Fut>(self, more: bool, fetch: impl FnOnce(Option<C>) -> Fut + 'static)
    where
        Fut: Future<Output = Result<(Vec<T>, Option<C>), AppError>> + 'static,
    {
        let cursor = if more { self.next.get_untracked() } else { None };
        if more && cursor.is_none() {
            return;
        }
        if !more {
            // The old cursor belongs to the old list: no "Load more" until this page is in.
            self.next.set(None);
        }
        self.seq.update_value(|s| *s += 1);
        let mine = self.seq.get_value();
        leptos::task::spawn_local(async move {
            let page = fetch(cursor).await;
            // A later load started, or the page was left meanwhile.
            if self.seq.try_get_value() != Some(mine) {
                return;
            }
            match page {
                Ok((items, next)) => {
                    self.error.set(None);
                    self.next.set(next);
                    if more {
                        self.rows.update(|r| r.get_or_insert_with(Vec::new).extend(items));
                    } else {
                        self.rows.set(Some(items));
                    }
                }
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    /// The first page has arrived and holds nothing.
    pub fn is_empty(self) -> bool {
        self.rows.with(|r| r.as_ref().is_some_and(Vec::is_empty))
    }

    /// The rows so far (none while the first page loads).
    pub fn all(self) -> Vec<T>
    where
        T: Clone,
    {
        self.rows.get().unwrap_or_default()
    }
}

impl<T: Send + Sync + 'static, C: Clone + Send + Sync + 'static> Default for KeysetList<T, C> {
    fn default() -> Self {
        Self::new()
    }
}
