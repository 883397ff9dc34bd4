-- Ticket classification and admin-defined fields: categories with one level of
-- subcategories, urgency and impact, watchers, custom fields (typed, stored as JSONB
-- in tickets.custom_fields), and the indexes for the queue's date filters and sorts.
create type ticket_level as enum ('low', 'medium', 'high');

create table ticket_categories (
  id uuid primary key default gen_random_uuid(),
  -- A subcategory names its category; only one level (checked by the app).
  parent_id uuid references ticket_categories (id) on delete restrict,
  name text not null constraint ticket_categories_name_len check (length(name) between 1 and 80),
  position int not null default 0,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint ticket_categories_name_key unique nulls not distinct (parent_id, name)
);
create trigger ticket_categories_updated_at before update on ticket_categories for each row execute function set_updated_at();

with top as (
  insert into ticket_categories (name, position) values
    ('Hardware', 1), ('Software', 2), ('Access', 3), ('Network', 4), ('Other', 5)
  returning id, name
)
insert into ticket_categories (parent_id, name, position)
select top.id, sub.name, sub.position from top join (values
  ('Hardware', 'Laptop', 1), ('Hardware', 'Printer', 2), ('Hardware', 'Phone', 3), ('Hardware', 'Peripheral', 4),
  ('Software', 'Installation', 1), ('Software', 'License', 2), ('Software', 'Bug', 3),
  ('Access', 'Account', 1), ('Access', 'Password', 2), ('Access', 'Permissions', 3),
  ('Network', 'VPN', 1), ('Network', 'Wi-Fi', 2)
) as sub (parent, name, position) on sub.parent = top.name;

alter table tickets
  add column category_id uuid references ticket_categories (id) on delete set null,
  add column urgency ticket_level not null default 'medium',
  add column impact ticket_level not null default 'medium';
create index tickets_category_idx on tickets (category_id, updated_at desc, id desc);
-- Created-date ranges and "oldest/newest created" sorts.
create index tickets_created_idx on tickets (created_at desc, id desc);
-- Plain "updated" order without a category filter (e.g. all tickets, sorted).
create index tickets_updated_idx on tickets (updated_at desc, id desc);

create table ticket_watchers (
  ticket_id uuid not null references tickets (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (ticket_id, user_id)
);
create index ticket_watchers_user_idx on ticket_watchers (user_id);

create type custom_field_kind as enum ('text', 'number', 'date', 'select', 'multi_select', 'checkbox');

create table ticket_custom_fields (
  key text primary key constraint ticket_custom_fields_key_format check (key ~ '^[a-z][a-z0-9_]{0,39}$'),
  label text not null constraint ticket_custom_fields_label_len check (length(label) between 1 and 80),
  kind custom_field_kind not null,
  options text[] not null default '{}',
  required boolean not null default false,
  position int not null default 0,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create trigger ticket_custom_fields_updated_at before update on ticket_custom_fields for each row execute function set_updated_at();
