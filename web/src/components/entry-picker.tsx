import { Select, Typography } from 'antd';
import { type CSSProperties, useEffect, useMemo, useState } from 'react';
import { useCatalogSearch, useEntry } from '../api/catalog';
import { useI18n } from '../i18n';

/** A value that follows `value` once it has stopped changing for `ms`. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * Picks a published catalog entry (a dataset) by searching the catalog as one types; the value is
 * the entry id. `excludeDepartmentId` leaves out one department's entries. An entry chosen
 * elsewhere (a page address, another page's button) is labelled from the entry itself.
 */
export function EntryPicker({
  value,
  onChange,
  excludeDepartmentId,
  id,
  placeholder,
  notFound,
  testId,
  style,
  ariaLabel,
}: {
  value?: string | undefined;
  onChange?: (value: string | undefined) => void;
  excludeDepartmentId?: string | null | undefined;
  id?: string | undefined;
  placeholder: string;
  notFound: string;
  testId: string;
  style?: CSSProperties;
  ariaLabel?: string;
}) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 300);
  const search = useCatalogSearch({ q: q || undefined, page: 1, pageSize: 50 });
  const inResults = Boolean(value && search.data?.items.some((e) => e.id === value));
  const chosen = useEntry(value && !inResults ? value : undefined);
  const options = useMemo(() => {
    const out = (search.data?.items ?? [])
      .filter((e) => e.departmentId !== excludeDepartmentId)
      .map((e) => ({ value: e.id, label: `${e.name}（${e.departmentName}）`, code: e.code }));
    const c = chosen.data;
    if (c && c.id === value && !out.some((o) => o.value === c.id)) out.unshift({ value: c.id, label: `${c.current.name}（${c.departmentName}）`, code: c.code });
    return out;
  }, [search.data, chosen.data, excludeDepartmentId, value]);

  return (
    <Select<string>
      id={id}
      value={value}
      onChange={(v) => onChange?.(v)}
      showSearch={{ filterOption: false, onSearch: setText }}
      options={options}
      loading={search.isFetching}
      placeholder={placeholder}
      notFoundContent={search.isFetching ? t('common.loading') : notFound}
      optionRender={(o) => (
        <div>
          <div>{o.data.label}</div>
          <Typography.Text type="secondary" className="ht-mono" style={{ fontSize: 12 }}>
            {o.data.code}
          </Typography.Text>
        </div>
      )}
      allowClear
      style={style}
      aria-label={ariaLabel}
      data-testid={testId}
    />
  );
}
