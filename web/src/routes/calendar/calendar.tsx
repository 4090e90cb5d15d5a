import { CalculatorOutlined, EditOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Calendar,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import {
  type CalendarYear,
  type Holiday,
  useAddWorkingDays,
  useCalendarYears,
  useIsWorkingDay,
  usePutCalendarYear,
} from '../../api/calendar';
import { PageContainer } from '../../components/page-container';
import { EmptyState, ErrorState, Loading, ProblemAlert } from '../../components/states';
import { useI18n } from '../../i18n';
import { useCurrentUser } from '../../lib/current-user';
import { todayInShanghai } from '../../lib/format';
import { useNotify } from '../../lib/notify';
import { can } from '../../lib/permissions';
import { useUrlFilters } from '../../lib/url-state';

const FILTER_KEYS = ['year'] as const;
const DAY = 'YYYY-MM-DD';

/** Every date of an inclusive range. */
function daysOf(start: string, end: string): string[] {
  const out: string[] = [];
  let d = dayjs(start);
  const last = dayjs(end);
  while (!d.isAfter(last, 'day') && out.length < 400) {
    out.push(d.format(DAY));
    d = d.add(1, 'day');
  }
  return out;
}

type YearFormValues = {
  year: number;
  holidays: { name: string; nameEn: string; range: [Dayjs, Dayjs] }[];
  adjustedWorkdays: Dayjs[];
};

/** 工作日历: official holidays and 调休 working days, and the working-day calculator used for deadlines. */
export default function CalendarPage() {
  const { t, tMaybe, pick } = useI18n();
  const me = useCurrentUser();
  const notify = useNotify();
  const years = useCalendarYears();
  const put = usePutCalendarYear();
  const { values, update } = useUrlFilters(FILTER_KEYS);
  const today = todayInShanghai();
  const [value, setValue] = useState<Dayjs>(() => dayjs(today));
  const [selected, setSelected] = useState<string>(today);
  const [editing, setEditing] = useState<{ year: number; isNew: boolean } | null>(null);
  const [form] = Form.useForm<YearFormValues>();
  const [calcForm] = Form.useForm<{ from: Dayjs; days: number }>();
  const [calc, setCalc] = useState<{ from: string; days: number } | undefined>();
  const calcResult = useAddWorkingDays(calc?.from, calc?.days);
  const dayInfo = useIsWorkingDay(selected);

  const sortedYears = useMemo(() => [...(years.data?.items ?? [])].sort((a, b) => a.year - b.year), [years.data]);
  const currentYear = Number(today.slice(0, 4));
  const year =
    Number(values.year) ||
    (sortedYears.some((y) => y.year === currentYear) ? currentYear : sortedYears[sortedYears.length - 1]?.year) ||
    currentYear;
  const yearData = sortedYears.find((y) => y.year === year);

  useEffect(() => {
    setValue((v) => (v.year() === year ? v : dayjs(`${year}-${year === currentYear ? today.slice(5, 7) : '01'}-01`)));
  }, [year, currentYear, today]);

  const index = useMemo(() => {
    const holidays = new Map<string, Holiday>();
    const adjusted = new Set<string>();
    for (const y of sortedYears) {
      for (const h of y.holidays) for (const d of daysOf(h.start, h.end)) holidays.set(d, h);
      for (const d of y.adjustedWorkdays) adjusted.add(d);
    }
    return { holidays, adjusted };
  }, [sortedYears]);

  const openEditor = (target: CalendarYear | undefined, newYear?: number) => {
    put.reset();
    form.resetFields();
    form.setFieldsValue({
      year: target?.year ?? newYear ?? currentYear + 1,
      holidays: (target?.holidays ?? []).map((h) => ({ name: h.name, nameEn: h.nameEn, range: [dayjs(h.start), dayjs(h.end)] })),
      adjustedWorkdays: (target?.adjustedWorkdays ?? []).map((d) => dayjs(d)),
    });
    setEditing({ year: target?.year ?? newYear ?? currentYear + 1, isNew: !target });
  };

  const saveYear = (v: YearFormValues) => {
    const body: CalendarYear = {
      year: v.year,
      holidays: (v.holidays ?? []).map((h) => ({
        name: h.name.trim(),
        nameEn: (h.nameEn ?? '').trim(),
        start: h.range[0].format(DAY),
        end: h.range[1].format(DAY),
      })),
      adjustedWorkdays: (v.adjustedWorkdays ?? []).map((d) => d.format(DAY)).sort(),
    };
    put.mutate(body, {
      onSuccess: () => {
        notify.success(t('calendar.saved', { year: v.year }));
        setEditing(null);
        update({ year: v.year });
      },
    });
  };

  if (years.isPending) return <Loading />;
  if (years.error) return <ErrorState error={years.error} onRetry={() => void years.refetch()} />;

  const holidayColumns: TableColumnsType<Holiday> = [
    { title: t('calendar.holiday'), dataIndex: 'name', render: (_, h) => pick(h.name, h.nameEn) },
    { title: t('calendar.start'), dataIndex: 'start' },
    { title: t('calendar.end'), dataIndex: 'end' },
    { title: t('calendar.days'), key: 'days', align: 'right', render: (_, h) => daysOf(h.start, h.end).length },
  ];

  const selectedHoliday = index.holidays.get(selected);
  const canEdit = can(me, 'editCalendar');

  return (
    <PageContainer
      title={t('nav.calendar')}
      subtitle={t('calendar.subtitle')}
      extra={
        <>
          <Select
            value={year}
            aria-label={t('calendar.year')}
            style={{ width: 120 }}
            options={sortedYears.map((y) => ({ value: y.year, label: t('calendar.yearLabel', { year: y.year }) }))}
            onChange={(v) => update({ year: v })}
          />
          {canEdit && yearData && (
            <Button icon={<EditOutlined />} onClick={() => openEditor(yearData)}>
              {t('calendar.editYear')}
            </Button>
          )}
          {canEdit && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => openEditor(undefined, (sortedYears[sortedYears.length - 1]?.year ?? currentYear) + 1)}
            >
              {t('calendar.addYear')}
            </Button>
          )}
        </>
      }
    >
      {!yearData && <Alert type="warning" showIcon title={t('calendar.yearMissing', { year })} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card>
            <Space size="middle" style={{ marginBottom: 8 }} wrap>
              <span>
                <span className="ht-cal-badge is-holiday">{t('calendar.offBadge')}</span>
                {t('calendar.legendHoliday')}
              </span>
              <span>
                <span className="ht-cal-badge is-adjusted">{t('calendar.workBadge')}</span>
                {t('calendar.legendAdjusted')}
              </span>
            </Space>
            <Calendar
              value={value}
              onPanelChange={(d) => {
                setValue(d);
                if (d.year() !== year) update({ year: d.year() });
              }}
              onSelect={(d, info) => {
                setValue(d);
                if (info.source === 'date') setSelected(d.format(DAY));
                if (d.year() !== year) update({ year: d.year() });
              }}
              cellRender={(d, info) => {
                if (info.type !== 'date') return info.originNode;
                const key = d.format(DAY);
                const holiday = index.holidays.get(key);
                if (holiday) {
                  return (
                    <div className="ht-cal-cell ht-cal-holiday">
                      <span className="ht-cal-badge is-holiday">{t('calendar.offBadge')}</span>
                      {pick(holiday.name, holiday.nameEn)}
                    </div>
                  );
                }
                if (index.adjusted.has(key)) {
                  return (
                    <div className="ht-cal-cell ht-cal-adjusted">
                      <span className="ht-cal-badge is-adjusted">{t('calendar.workBadge')}</span>
                      {t('calendar.adjusted')}
                    </div>
                  );
                }
                return null;
              }}
            />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card title={t('calendar.dayInfo')} style={{ marginBottom: 16 }}>
            <Descriptions
              size="small"
              column={1}
              items={[
                { key: 'date', label: t('calendar.date'), children: t('common.dateWithWeekday', { date: selected, weekday: dayjs(selected).format('dddd') }) },
                {
                  key: 'kind',
                  label: t('calendar.kind'),
                  children: dayInfo.isFetching ? (
                    '…'
                  ) : dayInfo.data ? (
                    <Tag color={dayInfo.data.isWorkingDay ? 'blue' : 'red'}>
                      {tMaybe(`dayKind.${dayInfo.data.kind}`, dayInfo.data.kind)}
                    </Tag>
                  ) : dayInfo.error ? (
                    <Typography.Text type="danger">{t('calendar.unknownDay')}</Typography.Text>
                  ) : (
                    '—'
                  ),
                },
                ...(selectedHoliday
                  ? [{ key: 'holiday', label: t('calendar.holiday'), children: pick(selectedHoliday.name, selectedHoliday.nameEn) }]
                  : []),
              ]}
            />
          </Card>
          <Card title={t('calendar.calculator')} style={{ marginBottom: 16 }}>
            <Form
              form={calcForm}
              layout="vertical"
              initialValues={{ from: dayjs(today), days: 5 }}
              onFinish={(v) => setCalc({ from: v.from.format(DAY), days: v.days })}
            >
              <Row gutter={12}>
                <Col span={14}>
                  <Form.Item name="from" label={t('calendar.from')} rules={[{ required: true }]}>
                    <DatePicker style={{ width: '100%' }} data-testid="calc-from" />
                  </Form.Item>
                </Col>
                <Col span={10}>
                  <Form.Item name="days" label={t('calendar.workingDays')} rules={[{ required: true }]}>
                    <InputNumber min={0} max={3650} precision={0} style={{ width: '100%' }} data-testid="calc-days" />
                  </Form.Item>
                </Col>
              </Row>
              <Button type="primary" htmlType="submit" icon={<CalculatorOutlined />} loading={calcResult.isFetching} block>
                {t('calendar.calculate')}
              </Button>
            </Form>
            {calcResult.data && (
              <Alert
                style={{ marginTop: 16 }}
                type="success"
                showIcon
                data-testid="calc-result"
                title={t('calendar.result', {
                  from: calcResult.data.from,
                  days: calcResult.data.days,
                  result: t('common.dateWithWeekday', {
                    date: calcResult.data.result,
                    weekday: dayjs(calcResult.data.result).format('dddd'),
                  }),
                })}
              />
            )}
            {calcResult.error && (
              <div style={{ marginTop: 16 }}>
                <ProblemAlert error={calcResult.error} />
              </div>
            )}
          </Card>
        </Col>
      </Row>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card title={t('calendar.holidaysOf', { year })}>
            <Table<Holiday>
              size="small"
              rowKey={(h) => `${h.name}-${h.start}`}
              columns={holidayColumns}
              dataSource={yearData?.holidays ?? []}
              pagination={false}
              locale={{ emptyText: <EmptyState description={t('calendar.noHolidays')} /> }}
            />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card title={t('calendar.adjustedOf', { year })}>
            {yearData?.adjustedWorkdays.length ? (
              <Space wrap>
                {yearData.adjustedWorkdays.map((d) => (
                  <Tag key={d} color="orange">
                    {t('common.dateWithWeekday', { date: d, weekday: dayjs(d).format('ddd') })}
                  </Tag>
                ))}
              </Space>
            ) : (
              <EmptyState description={t('calendar.noAdjusted')} />
            )}
          </Card>
        </Col>
      </Row>

      <Modal
        open={editing !== null}
        title={editing?.isNew ? t('calendar.addYear') : t('calendar.editYearTitle', { year: editing?.year ?? '' })}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={put.isPending}
        onOk={() => form.submit()}
        onCancel={() => setEditing(null)}
        width={760}
        forceRender
      >
        <Alert type="info" showIcon title={t('calendar.editHint')} style={{ marginBottom: 16 }} />
        {put.error && <ProblemAlert error={put.error} />}
        <Form<YearFormValues> form={form} layout="vertical" onFinish={saveYear} style={{ marginTop: 12 }}>
          <Form.Item name="year" label={t('calendar.year')} rules={[{ required: true }]}>
            <InputNumber min={2000} max={2100} precision={0} disabled={!editing?.isNew} />
          </Form.Item>
          <Form.List name="holidays">
            {(fields, { add, remove }) => (
              <Form.Item label={t('calendar.holidays')}>
                {fields.map((f) => (
                  <Space key={f.key} align="start" style={{ display: 'flex', marginBottom: 4 }} wrap>
                    <Form.Item name={[f.name, 'name']} rules={[{ required: true, whitespace: true }]} style={{ marginBottom: 8 }}>
                      <Input placeholder={t('calendar.holidayName')} aria-label={t('calendar.holidayName')} style={{ width: 140 }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'nameEn']} style={{ marginBottom: 8 }}>
                      <Input placeholder={t('calendar.holidayNameEn')} aria-label={t('calendar.holidayNameEn')} style={{ width: 170 }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'range']} rules={[{ required: true }]} style={{ marginBottom: 8 }}>
                      <DatePicker.RangePicker aria-label={t('calendar.range')} />
                    </Form.Item>
                    <Button
                      type="text"
                      danger
                      icon={<MinusCircleOutlined />}
                      aria-label={t('common.delete')}
                      onClick={() => remove(f.name)}
                    />
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()} block>
                  {t('calendar.addHoliday')}
                </Button>
              </Form.Item>
            )}
          </Form.List>
          <Form.Item name="adjustedWorkdays" label={t('calendar.adjustedWorkdays')} extra={t('calendar.adjustedHelp')}>
            <DatePicker multiple style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      </Modal>
    </PageContainer>
  );
}
