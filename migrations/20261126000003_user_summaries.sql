-- One definition of "a user as listed", shared by the list and the single lookup.
create view user_summaries as
select u.id, u.email, u.display_name, u.role, u.active, u.created_at,
       coalesce((select array_agg(t.name::text order by t.name)
                 from team_members m join teams t on t.id = m.team_id
                 where m.user_id = u.id), '{}') as teams
from users u;
