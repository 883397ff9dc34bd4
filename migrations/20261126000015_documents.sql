-- IT documentation: nested folders, markdown documents with every saved version
-- kept, and files attached to documents (bytes in the object store, keyed by id).
create table document_folders (
  id uuid primary key default gen_random_uuid(),
  -- null = at the top level. A folder with content cannot be deleted (restrict).
  parent_id uuid references document_folders (id) on delete restrict,
  name text not null constraint document_folders_name_len check (length(name) between 1 and 120),
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint document_folders_not_own_parent check (parent_id is distinct from id)
);
create trigger document_folders_updated_at before update on document_folders
  for each row execute function set_updated_at();
-- Names are unique among siblings (case-insensitive); top-level folders are siblings too.
create unique index document_folders_sibling_name_key
  on document_folders (coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name));
create index document_folders_parent_idx on document_folders (parent_id);

create table documents (
  id uuid primary key default gen_random_uuid(),
  -- null = at the top level.
  folder_id uuid references document_folders (id) on delete restrict,
  title text not null constraint documents_title_len check (length(title) between 1 and 200),
  body text not null default '' constraint documents_body_len check (length(body) <= 500000),
  -- The number of the latest row in document_versions; saves name the version they edited.
  version integer not null default 1,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_by uuid references users (id) on delete set null,
  updated_at timestamptz not null default now(),
  search tsvector generated always as (
    setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', body), 'B')
  ) stored
);
create index documents_search_idx on documents using gin (search);
create index documents_title_trgm_idx on documents using gin (title gin_trgm_ops);
-- The list: newest change first, everywhere or in one folder (keyset on updated_at, id).
create index documents_updated_idx on documents (updated_at desc, id desc);
create index documents_folder_updated_idx on documents (folder_id, updated_at desc, id desc);

create table document_versions (
  document_id uuid not null references documents (id) on delete cascade,
  number integer not null constraint document_versions_number_positive check (number >= 1),
  title text not null,
  body text not null,
  author_id uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  -- Set when this version was made by restoring an older one.
  restored_from integer,
  primary key (document_id, number)
);

create table document_files (
  id uuid primary key default gen_random_uuid(),
  document_id uuid not null references documents (id) on delete cascade,
  filename text not null constraint document_files_filename_len check (length(filename) between 1 and 255),
  size_bytes bigint not null constraint document_files_size check (size_bytes >= 0),
  content_type text not null,
  sha256 text not null constraint document_files_sha256 check (sha256 ~ '^[0-9a-f]{64}$'),
  uploaded_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now()
);
create index document_files_document_idx on document_files (document_id, created_at);
