-- The vault, licenses, domains and documents join links, the picker, the
-- requester panel and the expiring list.

create trigger vault_credentials_delete_links after delete on vault_credentials
  for each row execute function delete_record_links('credential');
create trigger software_delete_links after delete on software
  for each row execute function delete_record_links('software');
create trigger licenses_delete_links after delete on licenses
  for each row execute function delete_record_links('license');
create trigger domains_delete_links after delete on domains
  for each row execute function delete_record_links('domain');
create trigger certificates_delete_links after delete on certificates
  for each row execute function delete_record_links('certificate');
create trigger documents_delete_links after delete on documents
  for each row execute function delete_record_links('document');

-- License seats held by assets go with the asset.
alter table license_assignments
  add constraint license_assignments_asset_fk foreign key (asset_id) references assets (id) on delete cascade;

create or replace function record_ref(k record_kind, rid uuid, out title text, out key text) language plpgsql stable as $$
begin
  case k
    when 'ticket' then select 'TKT-' || number || ' ' || t.title, number::text into title, key from tickets t where id = rid;
    when 'user' then select display_name, id::text into title, key from users where id = rid;
    when 'asset' then select name || coalesce(' (' || tag || ')', ''), id::text into title, key from assets where id = rid;
    when 'location' then select name, id::text into title, key from locations where id = rid;
    when 'vendor' then select name, id::text into title, key from vendors where id = rid;
    when 'credential' then select name, id::text into title, key from vault_credentials where id = rid;
    when 'software' then select name, id::text into title, key from software where id = rid;
    when 'license' then
      select s.name || coalesce(' · ' || nullif(l.name, ''), ''), l.id::text into title, key
        from licenses l join software s on s.id = l.software_id where l.id = rid;
    when 'domain' then select name, id::text into title, key from domains where id = rid;
    when 'certificate' then select host || ':' || port, id::text into title, key from certificates where id = rid;
    when 'document' then select d.title, d.id::text into title, key from documents d where d.id = rid;
  end case;
end $$;

create or replace function record_search(q text, kinds record_kind[], lim int)
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
  union all
  (select 'credential', c.id, c.name, c.id::text from vault_credentials c
    where 'credential' = any(kinds) and c.name ilike '%' || q || '%' order by lower(c.name) limit lim)
  union all
  (select 'software', s.id, s.name, s.id::text from software s
    where 'software' = any(kinds) and s.name ilike '%' || q || '%' order by lower(s.name) limit lim)
  union all
  (select 'license', l.id, s.name || coalesce(' · ' || nullif(l.name, ''), ''), l.id::text
    from licenses l join software s on s.id = l.software_id
    where 'license' = any(kinds) and (s.name || ' ' || l.name) ilike '%' || q || '%' order by lower(s.name), l.created_at limit lim)
  union all
  (select 'domain', d.id, d.name, d.id::text from domains d
    where 'domain' = any(kinds) and d.name ilike '%' || q || '%' order by d.name limit lim)
  union all
  (select 'certificate', c.id, c.host || ':' || c.port, c.id::text from certificates c
    where 'certificate' = any(kinds) and c.host ilike '%' || q || '%' order by c.host limit lim)
  union all
  (select 'document', d.id, d.title, d.id::text from documents d
    where 'document' = any(kinds) and d.title ilike '%' || q || '%' order by d.updated_at desc limit lim)
$$;

create or replace view expiring_items as
  select 'asset'::record_kind as kind, id, name as title, 'Warranty' as what, warranty_expires_on as expires_on
    from assets where warranty_expires_on is not null and status not in ('retired', 'lost')
  union all
  select 'license', l.id, s.name || coalesce(' · ' || nullif(l.name, ''), ''), 'License', l.expires_on
    from licenses l join software s on s.id = l.software_id where l.expires_on is not null
  union all
  select 'domain', id, name, 'Registration', expires_on from domains where expires_on is not null
  union all
  select 'certificate', id, host || ':' || port, 'Certificate', (not_after at time zone 'UTC')::date
    from certificates where not_after is not null
  union all
  select 'credential', id, name, 'Password rotation', expires_on from vault_credentials where expires_on is not null;
