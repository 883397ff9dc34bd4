-- One-time links with which a new user sets their own password.
create table invitations (
  token_hash bytea primary key,
  user_id uuid not null references users (id) on delete cascade,
  created_by uuid references users (id) on delete set null,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index invitations_user_idx on invitations (user_id);
