//! The demo workspace's accounts: one per role, with a shared public password.
use super::model::{DemoAccount, Role};

pub const DEMO_PASSWORD: &str = "helios-demo-2026";

pub fn accounts() -> Vec<DemoAccount> {
    Role::ALL
        .into_iter()
        .rev()
        .map(|role| DemoAccount {
            email: format!("{}@demo.helios.test", role.as_str().replace('_', ".")),
            password: DEMO_PASSWORD.into(),
            role,
        })
        .collect()
}
