//! Roles, permissions and the signed-in user as the browser sees them.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Typed user id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
pub struct UserId(pub Uuid);

impl std::fmt::Display for UserId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The five roles, lowest to highest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "user_role", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Requester,
    Agent,
    TeamLead,
    Manager,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Requester, Role::Agent, Role::TeamLead, Role::Manager, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Requester => "requester",
            Role::Agent => "agent",
            Role::TeamLead => "team_lead",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Requester => "Requester",
            Role::Agent => "Agent",
            Role::TeamLead => "Team lead",
            Role::Manager => "Manager",
            Role::Admin => "Administrator",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Whether this role grants `p`. The single source of truth for authorisation.
    pub fn grants(self, p: Permission) -> bool {
        use Permission::*;
        match p {
            SignedIn => true,
            DeskView | DirectoryView => self >= Role::Agent,
            ViewsShare | MacrosShare | VaultReveal | RecordsDelete => self >= Role::TeamLead,
            AuditView | TeamsManage | DeskConfigure => self >= Role::Manager,
            UsersManage | SettingsManage | JobsManage => self == Role::Admin,
        }
    }
}

/// What a caller may do. Server functions name exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Permission {
    /// Any active account (requesters included).
    SignedIn,
    /// The agent console.
    DeskView,
    /// Read users and teams (for assignment pickers, requester context).
    DirectoryView,
    /// Create, change and delete saved views shared with every agent.
    ViewsShare,
    /// Create, change and delete macros shared with every agent.
    MacrosShare,
    /// The vault permission: reveal, copy and change secrets (passwords, TOTP
    /// seeds, license keys). Every reveal is audited with its reason.
    VaultReveal,
    /// Delete IT records (assets, credentials, domains, certificates, software,
    /// licenses, documents, folders, locations, vendors); deletions are audited.
    RecordsDelete,
    /// Read the audit log.
    AuditView,
    /// Create, rename and staff teams.
    TeamsManage,
    /// Ticket statuses and transitions, categories and custom fields.
    DeskConfigure,
    /// Create, edit, deactivate users and change roles.
    UsersManage,
    /// Modules, labels, branding.
    SettingsManage,
    /// Background jobs: list, retry dead ones.
    JobsManage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "ui_theme", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    #[default]
    Dark,
    Light,
}

/// The signed-in user, as sent to the browser.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub theme: Theme,
}

impl CurrentUser {
    pub fn can(&self, p: Permission) -> bool {
        self.role.grants(p)
    }
}

/// Who an invitation link is for, shown on the set-password page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationInfo {
    pub email: String,
    pub display_name: String,
}

/// How long an invitation link stays valid.
pub const INVITATION_DAYS: i64 = 7;

/// A demo account listed on the login page (demo mode only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoAccount {
    pub email: String,
    pub password: String,
    pub role: Role,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn higher_roles_hold_every_permission_of_lower_roles() {
        let perms = [
            Permission::SignedIn,
            Permission::DeskView,
            Permission::DirectoryView,
            Permission::ViewsShare,
            Permission::MacrosShare,
            Permission::VaultReveal,
            Permission::RecordsDelete,
            Permission::AuditView,
            Permission::TeamsManage,
            Permission::DeskConfigure,
            Permission::UsersManage,
            Permission::SettingsManage,
            Permission::JobsManage,
        ];
        for w in Role::ALL.windows(2) {
            for p in perms {
                assert!(!w[0].grants(p) || w[1].grants(p), "{:?} has {p:?} but {:?} lacks it", w[0], w[1]);
            }
        }
    }

    #[test]
    fn requesters_cannot_reach_the_desk_or_admin() {
        assert!(!Role::Requester.grants(Permission::DeskView));
        assert!(!Role::Requester.grants(Permission::SettingsManage));
        assert!(Role::Admin.grants(Permission::SettingsManage));
        assert!(!Role::Manager.grants(Permission::SettingsManage));
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
