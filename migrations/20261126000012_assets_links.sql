-- Assets, locations and vendors; typed links between any two records; in-app
-- notifications; the "expiring" view and the alerts already sent from it.

create type record_kind as enum (
  'ticket', 'user', 'asset', 'credential', 'domain', 'certificate', 'software', 'license',
  'document', 'location', 'vendor'
);

-- A link reads "a <link_type> b" (e.g. asset depends_on asset, document documents asset).
-- `related` is symmetric and stored once, with (a_kind, a_id) < (b_kind, b_id).
create type link_type as enum ('related', 'depends_on', 'uses', 'documents', 'installed_on', 'belongs_to');

create table record_links (
  id uuid primary key default gen_random_uuid(),
  a_kind record_kind not null,
  a_id uuid not null,
  b_kind record_kind not null,
  b_id uuid not null,
  link_type link_type not null,
  note text not null default '' constraint record_links_note_len check (length(note) <= 500),
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  constraint record_links_not_self check (not (a_kind = b_kind and a_id = b_id)),
  constraint record_links_related_ordered check (link_type <> 'related' or (a_kind, a_id) < (b_kind, b_id))
);
create unique index record_links_pair_key on record_links (a_kind, a_id, b_kind, b_id, link_type);
create index record_links_b_idx on record_links (b_kind, b_id);

-- A deleted record takes its links with it. Each table passes its kind.
create function delete_record_links() returns trigger language plpgsql as $$
begin
  delete from record_links
   where (a_kind = tg_argv[0]::record_kind and a_id = old.id)
      or (b_kind = tg_argv[0]::record_kind and b_id = old.id);
  return old;
end $$;
create trigger tickets_delete_links after delete on tickets for each row execute function delete_record_links('ticket');
create trigger users_delete_links after delete on users for each row execute function delete_record_links('user');

create table locations (
  id uuid primary key default gen_random_uuid(),
  name text not null constraint locations_name_len check (length(name) between 1 and 200),
  address text not null default '' constraint locations_address_len check (length(address) <= 1000),
  notes text not null default '' constraint locations_notes_len check (length(notes) <= 10000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index locations_name_key on locations (lower(name));
create index locations_name_trgm on locations using gin (name gin_trgm_ops);
create trigger locations_updated_at before update on locations for each row execute function set_updated_at();
create trigger locations_delete_links after delete on locations for each row execute function delete_record_links('location');

create table vendors (
  id uuid primary key default gen_random_uuid(),
  name text not null constraint vendors_name_len check (length(name) between 1 and 200),
  website text not null default '' constraint vendors_website_len check (length(website) <= 500),
  email text not null default '' constraint vendors_email_len check (length(email) <= 254),
  phone text not null default '' constraint vendors_phone_len check (length(phone) <= 50),
  notes text not null default '' constraint vendors_notes_len check (length(notes) <= 10000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index vendors_name_key on vendors (lower(name));
create index vendors_name_trgm on vendors using gin (name gin_trgm_ops);
create trigger vendors_updated_at before update on vendors for each row execute function set_updated_at();
create trigger vendors_delete_links after delete on vendors for each row execute function delete_record_links('vendor');

create type asset_type as enum (
  'computer', 'laptop', 'chromebook', 'phone', 'tablet', 'server', 'network_device', 'printer',
  'peripheral', 'other'
);
create type asset_status as enum ('in_use', 'in_stock', 'in_repair', 'retired', 'lost');

create table assets (
  id uuid primary key default gen_random_uuid(),
  name text not null constraint assets_name_len check (length(name) between 1 and 200),
  asset_type asset_type not null default 'computer',
  status asset_status not null default 'in_use',
  tag text constraint assets_tag_len check (length(tag) between 1 and 100),
  serial text constraint assets_serial_len check (length(serial) between 1 and 100),
  make text not null default '' constraint assets_make_len check (length(make) <= 100),
  model text not null default '' constraint assets_model_len check (length(model) <= 100),
  os text not null default '' constraint assets_os_len check (length(os) <= 100),
  os_version text not null default '' constraint assets_os_version_len check (length(os_version) <= 100),
  assigned_to uuid references users (id) on delete set null,
  location_id uuid references locations (id) on delete set null,
  vendor_id uuid references vendors (id) on delete set null,
  purchased_on date,
  purchase_cost_cents bigint constraint assets_cost_positive check (purchase_cost_cents >= 0),
  warranty_expires_on date,
  notes text not null default '' constraint assets_notes_len check (length(notes) <= 20000),
  -- Free-form "label → value" pairs (both text).
  custom_fields jsonb not null default '{}' constraint assets_custom_fields_object check (jsonb_typeof(custom_fields) = 'object'),
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  search tsvector generated always as (
    setweight(to_tsvector('simple', name || ' ' || coalesce(tag, '') || ' ' || coalesce(serial, '')), 'A')
    || setweight(to_tsvector('simple', make || ' ' || model || ' ' || os || ' ' || os_version), 'B')
    || setweight(to_tsvector('english', notes), 'C')
  ) stored
);
create unique index assets_tag_key on assets (lower(tag)) where tag is not null;
create index assets_serial_idx on assets (lower(serial)) where serial is not null;
create index assets_updated_idx on assets (updated_at desc, id desc);
create index assets_name_idx on assets (lower(name), id);
create index assets_type_idx on assets (asset_type, lower(name), id);
create index assets_status_idx on assets (status, lower(name), id);
create index assets_assigned_idx on assets (assigned_to, lower(name), id) where assigned_to is not null;
create index assets_location_idx on assets (location_id) where location_id is not null;
create index assets_vendor_idx on assets (vendor_id) where vendor_id is not null;
create index assets_warranty_idx on assets (warranty_expires_on) where warranty_expires_on is not null;
create index assets_search_idx on assets using gin (search);
create index assets_trgm_idx on assets using gin ((name || ' ' || coalesce(tag, '') || ' ' || coalesce(serial, '')) gin_trgm_ops);
create trigger assets_updated_at before update on assets for each row execute function set_updated_at();
create trigger assets_delete_links after delete on assets for each row execute function delete_record_links('asset');

-- What changed on an asset, field by field: {"field": [old, new], ...}.
create table asset_events (
  id bigint generated always as identity primary key,
  asset_id uuid not null references assets (id) on delete cascade,
  actor_id uuid references users (id) on delete set null,
  action text not null,
  changes jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index asset_events_asset_idx on asset_events (asset_id, id desc);

-- A CSV import waits here, parsed and checked, until it is committed or dropped.
create table asset_imports (
  id uuid primary key default gen_random_uuid(),
  created_by uuid not null references users (id) on delete cascade,
  file_name text not null default '',
  total_rows int not null default 0,
  error_rows int not null default 0,
  created_at timestamptz not null default now()
);
create unlogged table asset_import_rows (
  import_id uuid not null references asset_imports (id) on delete cascade,
  row_no int not null,
  name text,
  asset_type asset_type,
  status asset_status,
  tag text,
  serial text,
  make text not null default '',
  model text not null default '',
  os text not null default '',
  os_version text not null default '',
  assigned_email text,
  location_name text,
  vendor_name text,
  purchased_on date,
  purchase_cost_cents bigint,
  warranty_expires_on date,
  notes text not null default '',
  error text,
  primary key (import_id, row_no)
);

-- In-app notifications (the bell).
create table notifications (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  title text not null,
  body text not null default '',
  href text not null default '',
  created_at timestamptz not null default now(),
  read_at timestamptz
);
create index notifications_user_idx on notifications (user_id, created_at desc, id desc);
create index notifications_unread_idx on notifications (user_id) where read_at is null;

-- Everything with an end date, one row per dated thing. Later modules extend it.
create view expiring_items as
  select 'asset'::record_kind as kind, id, name as title, 'Warranty' as what, warranty_expires_on as expires_on
    from assets where warranty_expires_on is not null and status not in ('retired', 'lost');

-- One alert per item, threshold and end date (a renewed date alerts again).
create table expiry_alerts_sent (
  kind record_kind not null,
  item_id uuid not null,
  expires_on date not null,
  threshold_days int not null,
  sent_at timestamptz not null default now(),
  primary key (kind, item_id, expires_on, threshold_days)
);

-- Display title and route key of any record (the key is the number for tickets).
create function record_ref(k record_kind, rid uuid, out title text, out key text) language plpgsql stable as $$
begin
  case k
    when 'ticket' then select 'TKT-' || number || ' ' || t.title, number::text into title, key from tickets t where id = rid;
    when 'user' then select display_name, id::text into title, key from users where id = rid;
    when 'asset' then select name || coalesce(' (' || tag || ')', ''), id::text into title, key from assets where id = rid;
    when 'location' then select name, id::text into title, key from locations where id = rid;
    when 'vendor' then select name, id::text into title, key from vendors where id = rid;
    else title := null; key := null;
  end case;
end $$;

-- Candidates for the link picker: records of the wanted kinds whose name matches.
create function record_search(q text, kinds record_kind[], lim int)
  returns table (kind record_kind, id uuid, title text, key text) language sql stable as $$
  (select 'ticket'::record_kind, t.id, 'TKT-' || t.number || ' ' || t.title, t.number::text from tickets t
    where 'ticket' = any(kinds) and (t.number::text = regexp_replace(q, '^(#|tkt-)', '', 'i') or t.title ilike '%' || q || '%')
    order by t.updated_at desc limit lim)
  union all
  (select 'user', u.id, u.display_name || ' <' || u.email || '>', u.id::text from users u
    where 'user' = any(kinds) and u.active and (u.display_name ilike '%' || q || '%' or u.email::text ilike '%' || q || '%')
    order by u.display_name limit lim)
  union all
  (select 'asset', a.id, a.name || coalesce(' (' || a.tag || ')', ''), a.id::text from assets a
    where 'asset' = any(kinds) and (a.name || ' ' || coalesce(a.tag, '') || ' ' || coalesce(a.serial, '')) ilike '%' || q || '%'
    order by lower(a.name) limit lim)
  union all
  (select 'location', l.id, l.name, l.id::text from locations l
    where 'location' = any(kinds) and l.name ilike '%' || q || '%' order by lower(l.name) limit lim)
  union all
  (select 'vendor', v.id, v.name, v.id::text from vendors v
    where 'vendor' = any(kinds) and v.name ilike '%' || q || '%' order by lower(v.name) limit lim)
$$;

-- The records that belong to a person, for the requester panel: assets assigned to
-- them and anything linked to them (tickets aside), titles only.
create function user_records(uid uuid, lim int)
  returns table (kind record_kind, id uuid, title text, key text) language sql stable as $$
  select * from (
    (select 'asset'::record_kind, a.id, a.name || coalesce(' (' || a.tag || ')', ''), a.id::text
       from assets a where a.assigned_to = uid order by lower(a.name) limit lim)
    union
    (select l.kind, l.rid, r.title, r.key
       from (select b_kind as kind, b_id as rid from record_links where a_kind = 'user' and a_id = uid
             union select a_kind, a_id from record_links where b_kind = 'user' and b_id = uid) l
       cross join lateral record_ref(l.kind, l.rid) r
      where l.kind <> 'ticket' and r.title is not null
      limit lim)
  ) x order by 1, 3
$$;
