-- Ticket search looks at the most recently active tickets first and widens only when
-- they hold too few matches (see `tickets::repo::search`). `tickets_updated_idx`
-- (migration 0008) finds the start of a window ("the 2,000th most recently updated
-- ticket") and reads a window's tickets; this one reads a window's comments. Both let
-- the planner AND a wider window with the full-text and trigram bitmaps, so a search
-- visits the matches inside the window only.
create index ticket_comments_created_idx on ticket_comments (created_at);

-- Queue pages without a priority filter ("My open", a team's open tickets), in
-- activity order, without sorting all of that agent's or team's active tickets.
create index tickets_assignee_open_idx on tickets (assignee_id, updated_at desc, id desc)
  where status_category in ('new', 'open', 'pending', 'scheduled');
create index tickets_team_open_idx on tickets (team_id, updated_at desc, id desc)
  where status_category in ('new', 'open', 'pending', 'scheduled');
