//! SQL for teams and membership.
use super::model::{Team, TeamId, TeamMember};
use crate::auth::model::UserId;
use sqlx::PgExecutor;

/// All teams with their members, in two queries (no N+1).
pub async fn list(db: &sqlx::PgPool) -> sqlx::Result<Vec<Team>> {
    let teams =
        sqlx::query!(r#"select id as "id: TeamId", name::text as "name!", description from teams order by name"#)
            .fetch_all(db)
            .await?;
    let members = sqlx::query!(
        r#"select m.team_id as "team_id: TeamId", u.id as "user_id: UserId", u.display_name, u.email::text as "email!"
           from team_members m join users u on u.id = m.user_id order by u.display_name"#
    )
    .fetch_all(db)
    .await?;
    Ok(teams
        .into_iter()
        .map(|t| Team {
            id: t.id,
            members: members
                .iter()
                .filter(|m| m.team_id == t.id)
                .map(|m| TeamMember {
                    user_id: m.user_id,
                    display_name: m.display_name.clone(),
                    email: m.email.clone(),
                })
                .collect(),
            name: t.name,
            description: t.description,
        })
        .collect())
}

pub async fn find(db: impl PgExecutor<'_>, id: TeamId) -> sqlx::Result<Option<(String, String)>> {
    Ok(sqlx::query!(r#"select name::text as "name!", description from teams where id = $1"#, id.0)
        .fetch_optional(db)
        .await?
        .map(|r| (r.name, r.description)))
}

pub async fn insert(db: impl PgExecutor<'_>, name: &str, description: &str) -> sqlx::Result<TeamId> {
    sqlx::query_scalar!(
        r#"insert into teams (name, description) values ($1::text::citext, $2) returning id as "id: TeamId""#,
        name,
        description
    )
    .fetch_one(db)
    .await
}

pub async fn update(db: impl PgExecutor<'_>, id: TeamId, name: &str, description: &str) -> sqlx::Result<bool> {
    Ok(sqlx::query!(
        "update teams set name = $2::text::citext, description = $3 where id = $1",
        id.0,
        name,
        description
    )
    .execute(db)
    .await?
    .rows_affected()
        > 0)
}

pub async fn delete(db: impl PgExecutor<'_>, id: TeamId) -> sqlx::Result<bool> {
    Ok(sqlx::query!("delete from teams where id = $1", id.0).execute(db).await?.rows_affected() > 0)
}

pub async fn add_member(db: impl PgExecutor<'_>, team: TeamId, user: UserId) -> sqlx::Result<bool> {
    Ok(sqlx::query!(
        "insert into team_members (team_id, user_id) values ($1, $2) on conflict do nothing",
        team.0,
        user.0
    )
    .execute(db)
    .await?
    .rows_affected()
        > 0)
}

pub async fn remove_member(db: impl PgExecutor<'_>, team: TeamId, user: UserId) -> sqlx::Result<bool> {
    Ok(sqlx::query!("delete from team_members where team_id = $1 and user_id = $2", team.0, user.0)
        .execute(db)
        .await?
        .rows_affected()
        > 0)
}

/// Demo seeding: team by name, created if missing.
pub async fn ensure(db: impl PgExecutor<'_>, name: &str, description: &str) -> sqlx::Result<TeamId> {
    sqlx::query_scalar!(
        r#"insert into teams (name, description) values ($1::text::citext, $2)
           on conflict (name) do update set description = excluded.description returning id as "id: TeamId""#,
        name,
        description
    )
    .fetch_one(db)
    .await
}
