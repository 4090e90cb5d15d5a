import { DatePicker } from 'antd';
import dayjs from 'dayjs';
import { useI18n } from '../i18n';

/** A from–to day filter kept as YYYY-MM-DD strings (the URL filters' shape); either end may be open. */
export function DateRangeFilter({
  from,
  to,
  onChange,
}: {
  from: string | undefined;
  to: string | undefined;
  onChange: (range: { from: string | null; to: string | null }) => void;
}) {
  const { t } = useI18n();
  return (
    <DatePicker.RangePicker
      value={from || to ? [from ? dayjs(from) : null, to ? dayjs(to) : null] : null}
      allowEmpty={[true, true]}
      onChange={(dates) =>
        onChange({
          from: dates?.[0] ? dates[0].format('YYYY-MM-DD') : null,
          to: dates?.[1] ? dates[1].format('YYYY-MM-DD') : null,
        })
      }
      aria-label={t('audit.timeRange')}
    />
  );
}
