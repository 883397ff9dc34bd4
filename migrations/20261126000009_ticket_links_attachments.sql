-- Links between tickets, and files attached to comments and descriptions.

-- A link reads "ticket <kind> target": child_of (target is the parent), duplicate_of
-- (target is the original), related_to (symmetric, stored once).
create type ticket_link_kind as enum ('child_of', 'duplicate_of', 'related_to');

create table ticket_links (
  id uuid primary key default gen_random_uuid(),
  kind ticket_link_kind not null,
  ticket_id uuid not null references tickets (id) on delete cascade,
  target_id uuid not null references tickets (id) on delete cascade,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  constraint ticket_links_not_self check (ticket_id <> target_id)
);
-- Two tickets are linked at most once, whatever the direction or kind.
create unique index ticket_links_pair_key on ticket_links (least(ticket_id, target_id), greatest(ticket_id, target_id));
-- One parent per ticket, and a ticket duplicates at most one other.
create unique index ticket_links_one_up_key on ticket_links (ticket_id, kind) where kind <> 'related_to';
create index ticket_links_target_idx on ticket_links (target_id);

-- Files. The bytes live in the object store under the row's id; the row says who may
-- see them (through the ticket and, for internal notes, the comment).
create table ticket_attachments (
  id uuid primary key default gen_random_uuid(),
  ticket_id uuid not null references tickets (id) on delete cascade,
  comment_id uuid references ticket_comments (id) on delete cascade,
  -- Uploaded while writing a reply and not sent yet: only the uploader sees it.
  draft boolean not null default true,
  filename text not null constraint ticket_attachments_filename_len check (length(filename) between 1 and 255),
  size_bytes bigint not null constraint ticket_attachments_size check (size_bytes >= 0),
  content_type text not null,
  sha256 text not null constraint ticket_attachments_sha256 check (sha256 ~ '^[0-9a-f]{64}$'),
  uploaded_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  constraint ticket_attachments_draft_has_no_comment check (not (draft and comment_id is not null))
);
create index ticket_attachments_ticket_idx on ticket_attachments (ticket_id, created_at);
create index ticket_attachments_comment_idx on ticket_attachments (comment_id) where comment_id is not null;
