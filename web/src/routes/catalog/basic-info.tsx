import { PlusOutlined, SwapOutlined } from '@ant-design/icons';
import {
  AutoComplete,
  Button,
  Card,
  Col,
  Form,
  Input,
  Modal,
  Row,
  Segmented,
  Select,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
} from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import {
  BASIC_SUBJECTS,
  type BasicItem,
  type ClaimBasicItemInput,
  useBasicItems,
  useClaimBasicItem,
  useReassignBasicItem,
} from '../../api/catalog';
import { DepartmentSelect } from '../../components/department-select';
import { PageContainer } from '../../components/page-container';
import { SearchInput } from '../../components/search-input';
import { EmptyState, ProblemAlert } from '../../components/states';
import { useI18n } from '../../i18n';
import { useCurrentUser } from '../../lib/current-user';
import { useNotify } from '../../lib/notify';
import { can } from '../../lib/permissions';
import { useUrlFilters } from '../../lib/url-state';

const FILTER_KEYS = ['subject', 'departmentId', 'q', 'view'] as const;

type GroupedItem = BasicItem & { subjectSpan: number; categorySpan: number };

/** Sorts by subject and category and computes the merged-cell spans of both columns. */
function grouped(items: BasicItem[]): GroupedItem[] {
  const sorted = [...items].sort(
    (a, b) =>
      a.subject.localeCompare(b.subject) || a.category.localeCompare(b.category) || a.name.localeCompare(b.name),
  );
  return sorted.map((item, i) => {
    const prev = sorted[i - 1];
    const firstOfSubject = !prev || prev.subject !== item.subject;
    const firstOfCategory = firstOfSubject || prev?.category !== item.category;
    let subjectSpan = 0;
    let categorySpan = 0;
    if (firstOfSubject) {
      subjectSpan = 1;
      while (sorted[i + subjectSpan]?.subject === item.subject) subjectSpan++;
    }
    if (firstOfCategory) {
      categorySpan = 1;
      while (
        sorted[i + categorySpan]?.subject === item.subject &&
        sorted[i + categorySpan]?.category === item.category
      ) {
        categorySpan++;
      }
    }
    return { ...item, subjectSpan, categorySpan };
  });
}

function sourcesOf(item: BasicItem): string[] {
  if (!item.sources) return [];
  return Array.isArray(item.sources) ? item.sources : [item.sources];
}

/** 基准信息目录: each basic data item with its one responsible collecting department. */
export default function BasicInfoPage() {
  const { t, tMaybe, pick } = useI18n();
  const me = useCurrentUser();
  const notify = useNotify();
  const { values, update, reset } = useUrlFilters(FILTER_KEYS);
  const view = values.view === 'matrix' ? 'matrix' : 'table';

  const items = useBasicItems({ subject: values.subject, departmentId: values.departmentId, q: values.q });
  const everything = useBasicItems({});
  const claim = useClaimBasicItem();
  const reassign = useReassignBasicItem();
  const [claimOpen, setClaimOpen] = useState(false);
  const [reassigning, setReassigning] = useState<BasicItem | null>(null);
  const [claimForm] = Form.useForm<ClaimBasicItemInput>();
  const [reassignForm] = Form.useForm<{ departmentId: string; reason: string }>();

  const subjectLabel = (s: string) => tMaybe(`basicSubject.${s}`, s);
  const subjects = useMemo(
    () => [...new Set<string>([...BASIC_SUBJECTS, ...(everything.data?.items ?? []).map((i) => i.subject)])],
    [everything.data],
  );
  const categories = useMemo(
    () => [...new Set((everything.data?.items ?? []).map((i) => i.category))].sort(),
    [everything.data],
  );
  const rows = useMemo(() => grouped(items.data?.items ?? []), [items.data]);
  const departments = useMemo(() => {
    const map = new Map<string, string>();
    for (const item of rows) map.set(item.departmentId, item.departmentName);
    return [...map.entries()].sort((a, b) => a[1].localeCompare(b[1]));
  }, [rows]);

  const groupColumns: TableColumnsType<GroupedItem> = [
    {
      title: t('basic.subject'),
      dataIndex: 'subject',
      fixed: 'left',
      width: 120,
      onCell: (row) => ({ rowSpan: row.subjectSpan }),
      render: (v: string) => <strong>{subjectLabel(v)}</strong>,
    },
    {
      title: t('basic.category'),
      dataIndex: 'category',
      fixed: 'left',
      width: 160,
      onCell: (row) => ({ rowSpan: row.categorySpan }),
      render: (_, row) => pick(row.category, row.categoryEn),
    },
    {
      title: t('basic.item'),
      dataIndex: 'name',
      fixed: 'left',
      width: 180,
      render: (_, row) => (
        <span>
          {pick(row.name, row.nameEn)}
          {row.nameEn && row.name && (
            <span className="ht-muted ht-mono" style={{ marginLeft: 6 }}>
              {pick(row.nameEn, row.name)}
            </span>
          )}
        </span>
      ),
    },
  ];

  const tableColumns: TableColumnsType<GroupedItem> = [
    ...groupColumns,
    {
      title: t('basic.responsible'),
      dataIndex: 'departmentName',
      render: (v: string, row) => <Link to={`/orgs/departments/${row.departmentId}`}>{v}</Link>,
    },
    {
      title: t('basic.sources'),
      dataIndex: 'sources',
      render: (_, row) => {
        const list = sourcesOf(row);
        return list.length ? list.map((s) => <Tag key={s}>{s}</Tag>) : <span className="ht-muted">—</span>;
      },
    },
    ...(can(me, 'reassignBasicItem')
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 110,
            render: (_: unknown, row: GroupedItem) => (
              <Button
                type="link"
                size="small"
                icon={<SwapOutlined />}
                onClick={() => {
                  reassign.reset();
                  setReassigning(row);
                }}
              >
                {t('basic.reassign')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  const matrixColumns: TableColumnsType<GroupedItem> = [
    ...groupColumns,
    ...departments.map(([id, name]) => ({
      title: (
        <Tooltip title={name}>
          <Link to={`/orgs/departments/${id}`} style={{ writingMode: 'horizontal-tb' }}>
            {name}
          </Link>
        </Tooltip>
      ),
      key: id,
      align: 'center' as const,
      width: 110,
      render: (_: unknown, row: GroupedItem) =>
        row.departmentId === id ? (
          <span className="ht-matrix-dot" role="img" aria-label={t('basic.responsibleFor', { department: name, item: row.name })} />
        ) : null,
    })),
  ];

  const submitClaim = (input: ClaimBasicItemInput) => {
    claim.mutate(input, {
      onSuccess: () => {
        notify.success(t('basic.claimed'));
        setClaimOpen(false);
        claimForm.resetFields();
      },
    });
  };

  const submitReassign = (input: { departmentId: string; reason: string }) => {
    if (!reassigning) return;
    reassign.mutate(
      { id: reassigning.id, departmentId: input.departmentId, reason: input.reason.trim() },
      {
        onSuccess: () => {
          notify.success(t('basic.reassigned'));
          setReassigning(null);
          reassignForm.resetFields();
        },
      },
    );
  };

  const hasFilters = Boolean(values.subject || values.departmentId || values.q);

  return (
    <PageContainer
      title={t('nav.basicInfo')}
      subtitle={t('basic.subtitle')}
      extra={
        can(me, 'claimBasicItem') && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              claim.reset();
              setClaimOpen(true);
            }}
          >
            {t('basic.claim')}
          </Button>
        )
      }
    >
      <Card>
        <div className="ht-toolbar">
          <SearchInput
            value={values.q}
            placeholder={t('basic.searchPlaceholder')}
            onSearch={(v) => update({ q: v || null })}
          />
          <Select
            allowClear
            placeholder={t('basic.subject')}
            aria-label={t('basic.subject')}
            value={values.subject}
            options={subjects.map((s) => ({ value: s, label: subjectLabel(s) }))}
            onChange={(v) => update({ subject: v ?? null })}
          />
          <DepartmentSelect
            value={values.departmentId}
            onChange={(v) => update({ departmentId: v ?? null })}
            placeholder={t('basic.responsible')}
            aria-label={t('basic.responsible')}
            style={{ width: 220 }}
          />
          {hasFilters && (
            <Button type="link" onClick={reset}>
              {t('common.clearFilters')}
            </Button>
          )}
          <div style={{ flex: 1 }} />
          <Segmented
            value={view}
            onChange={(v) => update({ view: v === 'matrix' ? 'matrix' : null })}
            options={[
              { value: 'table', label: t('basic.viewTable') },
              { value: 'matrix', label: t('basic.viewMatrix') },
            ]}
            aria-label={t('basic.view')}
          />
        </div>
      </Card>

      {items.error && <ProblemAlert error={items.error} />}

      <Card>
        <Table<GroupedItem>
          className={view === 'matrix' ? 'ht-matrix' : undefined}
          rowKey="id"
          size="small"
          bordered
          columns={view === 'matrix' ? matrixColumns : tableColumns}
          dataSource={rows}
          loading={items.isFetching}
          pagination={false}
          sticky
          scroll={{ x: view === 'matrix' ? 460 + departments.length * 110 : 900 }}
          locale={{ emptyText: <EmptyState description={hasFilters ? t('common.noMatches') : t('basic.empty')} /> }}
        />
      </Card>

      <Modal
        open={claimOpen}
        title={t('basic.claim')}
        okText={t('basic.claimSubmit')}
        cancelText={t('common.cancel')}
        confirmLoading={claim.isPending}
        onOk={() => claimForm.submit()}
        onCancel={() => setClaimOpen(false)}
        destroyOnHidden
        width={620}
      >
        <p className="ht-muted">{t('basic.claimHint', { department: me.departmentName })}</p>
        {claim.error && <ProblemAlert error={claim.error} />}
        <Form<ClaimBasicItemInput> form={claimForm} layout="vertical" onFinish={submitClaim} style={{ marginTop: 12 }}>
          <Form.Item name="subject" label={t('basic.subject')} rules={[{ required: true, whitespace: true }]}>
            <Select options={BASIC_SUBJECTS.map((s) => ({ value: s, label: subjectLabel(s) }))} />
          </Form.Item>
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item name="category" label={t('basic.category')} rules={[{ required: true, whitespace: true }]}>
                <AutoComplete options={categories.map((c) => ({ value: c }))} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="categoryEn" label={t('basic.categoryEn')}>
                <Input />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="name" label={t('basic.item')} rules={[{ required: true, whitespace: true }]}>
                <Input />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="nameEn" label={t('basic.itemEn')}>
                <Input />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Modal>

      <Modal
        open={reassigning !== null}
        title={t('basic.reassignTitle', { item: reassigning?.name ?? '' })}
        okText={t('basic.reassign')}
        cancelText={t('common.cancel')}
        confirmLoading={reassign.isPending}
        onOk={() => reassignForm.submit()}
        onCancel={() => setReassigning(null)}
        destroyOnHidden
      >
        <p>
          {t('common.labelColon', { label: t('basic.currentResponsible') })}<strong>{reassigning?.departmentName}</strong>
        </p>
        {reassign.error && <ProblemAlert error={reassign.error} />}
        <Form form={reassignForm} layout="vertical" onFinish={submitReassign} style={{ marginTop: 12 }}>
          <Form.Item name="departmentId" label={t('basic.newResponsible')} rules={[{ required: true }]}>
            <DepartmentSelect exclude={reassigning ? [reassigning.departmentId] : []} />
          </Form.Item>
          <Form.Item name="reason" label={t('basic.reason')} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea rows={3} maxLength={500} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </PageContainer>
  );
}
