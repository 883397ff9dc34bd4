//! App-wide reactive context: the signed-in user and the public settings,
//! both refreshed by live events.
use crate::auth::api::me;
use crate::auth::model::CurrentUser;
use crate::error::AppError;
use crate::settings::api::get_public_settings;
use crate::settings::model::{Entity, PublicSettings};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Session {
    pub user: Resource<Result<Option<CurrentUser>, AppError>>,
}

#[derive(Clone, Copy)]
pub struct Settings {
    pub data: Resource<Result<PublicSettings, AppError>>,
}

impl Session {
    pub fn provide() -> Session {
        let s = Session { user: Resource::new(|| (), |_| me()) };
        provide_context(s);
        s
    }
    /// The user once loaded (None while loading or signed out).
    pub fn current(&self) -> Option<CurrentUser> {
        self.user.get().and_then(|r| r.ok()).flatten()
    }
}

impl Settings {
    pub fn provide() -> Settings {
        let s = Settings { data: Resource::new(|| (), |_| get_public_settings()) };
        provide_context(s);
        s
    }
    pub fn current(&self) -> PublicSettings {
        self.data.get().and_then(|r| r.ok()).unwrap_or_default()
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

pub fn use_settings() -> Settings {
    expect_context::<Settings>()
}

/// Reactive plural label of an entity, e.g. "Tickets" or "Requests".
pub fn plural(e: Entity) -> Signal<String> {
    let s = use_settings();
    Signal::derive(move || s.current().labels.plural(e))
}

pub fn singular(e: Entity) -> Signal<String> {
    let s = use_settings();
    Signal::derive(move || s.current().labels.singular(e))
}
