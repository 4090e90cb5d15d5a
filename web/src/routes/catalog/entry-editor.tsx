import { DeleteOutlined, PlusOutlined, SaveOutlined, SendOutlined } from '@ant-design/icons';
import {
  Alert,
  AutoComplete,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  type FormListFieldData,
  Input,
  InputNumber,
  Radio,
  Result,
  Row,
  Select,
  Table,
  type TableColumnsType,
  Tooltip,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import {
  DATA_TYPES,
  type DataItem,
  type Entry,
  type EntryFields,
  FORMAT_CATEGORIES,
  SHARE_MANNERS,
  useBasicItems,
  useCreateEntry,
  useEntry,
  useSaveDraft,
  useTransition,
} from '../../api/catalog';
import { ApiError, fieldPath } from '../../api/client';
import { PageContainer } from '../../components/page-container';
import { ErrorState, Loading } from '../../components/states';
import { StatusTag } from '../../components/tags';
import { useI18n } from '../../i18n';
import { catalogOptions, fieldPathLabel } from '../../lib/catalog-labels';
import { useCurrentUser } from '../../lib/current-user';
import { useNotify } from '../../lib/notify';
import { canEditEntry } from '../../lib/permissions';

/** What the form holds; nullable text is edited as plain strings. */
type FormValues = EntryFields;

const EMPTY_ITEM: DataItem = {
  name: '',
  nameEn: '',
  dataType: 'C',
  length: null,
  codeList: null,
  required: false,
  isIdentifier: false,
};

const DEFAULTS: FormValues = {
  name: '',
  nameEn: '',
  summary: '',
  classification: 'departmental',
  classCode: '',
  keywords: [],
  formatCategory: 'database',
  formatType: '',
  shareType: 'unconditional',
  shareConditions: '',
  legalBasis: '',
  shareManner: ['api'],
  openType: 'none',
  openConditions: '',
  updateFrequency: 'daily',
  relatedSystems: [],
  relatedResourceCodes: [],
  scopeOfUse: '',
  sharingPeriod: '',
  items: [{ ...EMPTY_ITEM }],
};

/** The editable fields of the entry's latest version. */
function fieldsOf(entry: Entry): FormValues {
  const v = entry.current;
  return {
    name: v.name ?? '',
    nameEn: v.nameEn ?? '',
    summary: v.summary ?? '',
    classification: v.classification,
    classCode: v.classCode ?? '',
    keywords: v.keywords ?? [],
    formatCategory: v.formatCategory ?? '',
    formatType: v.formatType ?? '',
    shareType: v.shareType,
    shareConditions: v.shareConditions ?? '',
    legalBasis: v.legalBasis ?? '',
    shareManner: v.shareManner ?? [],
    openType: v.openType,
    openConditions: v.openConditions ?? '',
    updateFrequency: v.updateFrequency,
    relatedSystems: v.relatedSystems ?? [],
    relatedResourceCodes: v.relatedResourceCodes ?? [],
    scopeOfUse: v.scopeOfUse ?? '',
    sharingPeriod: v.sharingPeriod ?? '',
    items: (v.items ?? []).map((item) => ({ ...EMPTY_ITEM, ...item })),
  };
}

const trimOrNull = (value: string | null | undefined) => {
  const s = (value ?? '').trim();
  return s === '' ? null : s;
};

/** Optional texts of the entry are sent as '' when empty (the API's strings are not nullable). */
const trimText = (value: string | null | undefined) => (value ?? '').trim();

/** The first digit of 分类代码 follows the classification: 1 基础, 2 主题, 3 部门. */
const CLASS_DIGIT: Record<EntryFields['classification'], string> = { basic: '1', thematic: '2', departmental: '3' };

/** Cleans the form values into the body the API expects. */
function toBody(values: FormValues): EntryFields {
  const conditionalShare = values.shareType !== 'unconditional';
  return {
    name: values.name.trim(),
    nameEn: (values.nameEn ?? '').trim(),
    summary: (values.summary ?? '').trim(),
    classification: values.classification,
    classCode: (values.classCode ?? '').trim(),
    keywords: (values.keywords ?? []).map((k) => k.trim()).filter(Boolean),
    formatCategory: values.formatCategory ?? '',
    formatType: (values.formatType ?? '').trim(),
    shareType: values.shareType,
    shareConditions: conditionalShare ? trimText(values.shareConditions) : '',
    legalBasis: conditionalShare ? trimText(values.legalBasis) : '',
    shareManner: values.shareManner ?? [],
    openType: values.openType,
    openConditions: values.openType === 'conditional' ? trimText(values.openConditions) : '',
    updateFrequency: values.updateFrequency,
    relatedSystems: (values.relatedSystems ?? []).map((k) => k.trim()).filter(Boolean),
    relatedResourceCodes: (values.relatedResourceCodes ?? []).map((k) => k.trim()).filter(Boolean),
    scopeOfUse: (values.scopeOfUse ?? '').trim(),
    sharingPeriod: (values.sharingPeriod ?? '').trim(),
    items: (values.items ?? []).map((item) => ({
      name: (item.name ?? '').trim(),
      nameEn: (item.nameEn ?? '').trim(),
      dataType: item.dataType,
      length: !isUnsized(item.dataType) && typeof item.length === 'number' ? item.length : null,
      codeList: trimOrNull(item.codeList),
      required: Boolean(item.required),
      isIdentifier: Boolean(item.isIdentifier),
      basicItemId: item.basicItemId || null,
    })),
  };
}

/** Types stored without a length (D T L M G); the others need one. */
const UNSIZED_TYPES: readonly string[] = ['D', 'T', 'L', 'M', 'G'];
const isUnsized = (dataType: unknown) => typeof dataType === 'string' && UNSIZED_TYPES.includes(dataType);

const TAG_SEPARATORS = [',', '，', '、', ';', '；'];

/** 编目: create a draft or edit the latest draft/returned version, with server errors on the fields. */
export default function EntryEditorPage() {
  const { id } = useParams<{ id: string }>();
  const entry = useEntry(id);
  const me = useCurrentUser();
  const { t } = useI18n();

  if (id && entry.isPending) return <Loading />;
  if (id && (entry.error || !entry.data)) {
    return <ErrorState error={entry.error} onRetry={() => void entry.refetch()} />;
  }
  if (entry.data && !canEditEntry(me, entry.data)) {
    return (
      <Result
        status="warning"
        title={t('editor.notEditable')}
        subTitle={t('editor.notEditableHint')}
        extra={
          <Link to={`/catalog/entries/${entry.data.id}`}>
            <Button type="primary">{t('editor.backToDetail')}</Button>
          </Link>
        }
      />
    );
  }
  return <EntryForm key={entry.data?.id ?? 'new'} entry={entry.data} />;
}

function EntryForm({ entry }: { entry: Entry | undefined }) {
  const { t } = useI18n();
  const notify = useNotify();
  const navigate = useNavigate();
  const [form] = Form.useForm<FormValues>();
  const create = useCreateEntry();
  const save = useSaveDraft();
  const transition = useTransition();
  const [serverError, setServerError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState<'save' | 'submit' | null>(null);
  const [createdId, setCreatedId] = useState<string>();
  const [dirty, setDirty] = useState(false);

  // Leaving the page (reload, closing the tab) with unsaved edits asks first.
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  const initialValues = useMemo(() => (entry ? fieldsOf(entry) : DEFAULTS), [entry]);
  const options = catalogOptions(t);

  const shareType = Form.useWatch('shareType', form) ?? initialValues.shareType;
  const openType = Form.useWatch('openType', form) ?? initialValues.openType;
  const conditionalShare = shareType !== 'unconditional';

  /** Puts the server's field problems on the fields and keeps the full list for the banner. */
  const showServerErrors = (err: unknown) => {
    if (err instanceof ApiError) {
      setServerError(err);
      if (err.errors.length > 0) {
        type FieldName = Parameters<typeof form.setFields>[0][number]['name'];
        form.setFields(err.errors.map((e) => ({ name: fieldPath(e.field) as FieldName, errors: [e.message] })));
        const first = err.errors[0];
        if (first) form.scrollToField(fieldPath(first.field), { block: 'center' });
      } else {
        window.scrollTo({ top: 0, behavior: 'smooth' });
      }
    }
    notify.error(err);
  };

  const run = async (mode: 'save' | 'submit') => {
    let values: FormValues;
    try {
      values = await form.validateFields();
    } catch {
      notify.error(new Error(t('editor.fixErrors')));
      return;
    }
    setServerError(null);
    setPending(mode);
    try {
      const body = toBody(values);
      // A draft created here but not yet reloaded is saved with PUT from then on, never created twice.
      const existingId = entry?.id ?? createdId;
      const saved = existingId
        ? await save.mutateAsync({ id: existingId, fields: body })
        : await create.mutateAsync(body);
      if (!existingId) setCreatedId(saved.id);
      setDirty(false);
      if (mode === 'submit') {
        await transition.mutateAsync({ id: saved.id, action: 'submit' });
        notify.success(t('editor.submitted'));
        void navigate(`/catalog/entries/${saved.id}`);
      } else {
        notify.success(t('editor.saved'));
        if (!entry) void navigate(`/catalog/entries/${saved.id}/edit`, { replace: true });
      }
    } catch (err) {
      showServerErrors(err);
    } finally {
      setPending(null);
    }
  };

  const formatTypeOptions = t('editor.formatTypeSuggestions')
    .split('|')
    .map((value) => ({ value }));

  const title = entry ? t('editor.editTitle', { name: entry.current.name }) : t('editor.newTitle');

  return (
    <PageContainer
      title={title}
      titleExtra={entry && <StatusTag status={entry.status} />}
      subtitle={entry ? `${entry.code || t('entry.codePending')} · v${entry.current.version}` : t('editor.newHint')}
      back={entry ? `/catalog/entries/${entry.id}` : '/catalog/mine'}
    >
      {entry?.status === 'returned' && entry.current.returnReason && (
        <Alert type="warning" showIcon title={t('entry.returnedBecause')} description={entry.current.returnReason} />
      )}
      {serverError && (
        <Alert
          type="error"
          showIcon
          closable={{ onClose: () => setServerError(null) }}
          title={serverError.errors.length ? t('editor.serverErrors', { count: serverError.errors.length }) : serverError.detail ?? serverError.title}
          description={
            serverError.errors.length > 0 && (
              <ul className="ht-problem-list" data-testid="editor-errors">
                {serverError.errors.map((e, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list from one answer; the same field may fail twice
                  <li key={`${e.field}-${i}`}>
                    <Button
                      type="link"
                      size="small"
                      style={{ padding: 0, height: 'auto' }}
                      onClick={() => form.scrollToField(fieldPath(e.field), { block: 'center' })}
                    >
                      {fieldPathLabel(t, fieldPath(e.field))}
                    </Button>
                    {t('common.colon')}
                    {e.message}
                  </li>
                ))}
              </ul>
            )
          }
        />
      )}

      <Form<FormValues>
        form={form}
        name="entry"
        layout="vertical"
        initialValues={initialValues}
        scrollToFirstError={{ block: 'center' }}
        onValuesChange={() => {
          setDirty(true);
          if (serverError && serverError.errors.length === 0) setServerError(null);
        }}
      >
        <Card title={t('entry.section.basics')} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="name" label={t('entry.name')} rules={[{ required: true, whitespace: true }, { min: 2 }, { max: 100 }]}>
                <Input data-testid="entry-name" placeholder={t('editor.namePlaceholder')} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="nameEn" label={t('entry.nameEn')} rules={[{ max: 200 }]}>
                <Input data-testid="entry-nameEn" />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item
                name="summary"
                label={t('entry.summary')}
                rules={[{ required: true, whitespace: true }, { max: 2000 }]}
              >
                <Input.TextArea rows={3} showCount maxLength={2000} data-testid="entry-summary" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="classification" label={t('entry.classification')} rules={[{ required: true }]}>
                <Select options={options.classification} data-testid="entry-classification" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item
                name="classCode"
                label={t('entry.classCode')}
                tooltip={t('editor.classCodeHelp')}
                dependencies={['classification']}
                rules={[
                  { required: true, whitespace: true },
                  { pattern: /^[1-3]\d{5,}$/, message: t('editor.classCodePattern') },
                  ({ getFieldValue }) => ({
                    validator: (_, value: string | undefined) => {
                      const digit = CLASS_DIGIT[getFieldValue('classification') as EntryFields['classification']];
                      return !value || !digit || value.startsWith(digit)
                        ? Promise.resolve()
                        : Promise.reject(new Error(t('editor.classCodePrefix', { digit })));
                    },
                  }),
                ]}
              >
                <Input className="ht-mono" data-testid="entry-classCode" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="updateFrequency" label={t('entry.updateFrequency')} rules={[{ required: true }]}>
                <Select options={options.updateFrequency} data-testid="entry-updateFrequency" />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="keywords" label={t('entry.keywords')} extra={t('editor.tagsHelp')}>
                <Select mode="tags" tokenSeparators={TAG_SEPARATORS} open={false} suffixIcon={null} />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Card title={t('entry.section.format')} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="formatCategory" label={t('entry.formatCategory')} rules={[{ required: true }]}>
                <Select
                  options={FORMAT_CATEGORIES.map((v) => ({ value: v, label: t(`formatCategory.${v}`) }))}
                  data-testid="entry-formatCategory"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="formatType" label={t('entry.formatType')} extra={t('editor.formatTypeHelp')}>
                <AutoComplete options={formatTypeOptions} showSearch={{ filterOption: true }}>
                  <Input data-testid="entry-formatType" />
                </AutoComplete>
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Card title={t('entry.section.access')} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="shareType" label={t('entry.shareType')} rules={[{ required: true }]}>
                <Radio.Group options={options.shareType} optionType="button" buttonStyle="solid" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="shareManner" label={t('entry.shareManner')} rules={shareType === 'none' ? [] : [{ required: true, type: 'array', min: 1 }]}>
                <Checkbox.Group options={SHARE_MANNERS.map((v) => ({ value: v, label: t(`shareManner.${v}`) }))} />
              </Form.Item>
            </Col>
            {conditionalShare && (
              <>
                <Col xs={24} md={12}>
                  <Form.Item
                    name="shareConditions"
                    label={shareType === 'none' ? t('editor.notSharedReason') : t('entry.shareConditions')}
                    rules={[{ required: true, whitespace: true }]}
                    extra={shareType === 'none' ? t('editor.notSharedHelp') : t('editor.shareConditionsHelp')}
                  >
                    <Input.TextArea rows={3} data-testid="entry-shareConditions" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item
                    name="legalBasis"
                    label={t('entry.legalBasis')}
                    rules={[{ required: true, whitespace: true }]}
                    extra={t('editor.legalBasisHelp')}
                  >
                    <Input.TextArea rows={3} data-testid="entry-legalBasis" />
                  </Form.Item>
                </Col>
              </>
            )}
            <Col xs={24} md={12}>
              <Form.Item name="openType" label={t('entry.openType')} rules={[{ required: true }]}>
                <Radio.Group options={options.openType} optionType="button" buttonStyle="solid" />
              </Form.Item>
            </Col>
            {openType === 'conditional' && (
              <Col xs={24} md={12}>
                <Form.Item
                  name="openConditions"
                  label={t('entry.openConditions')}
                  rules={[{ required: true, whitespace: true }]}
                >
                  <Input.TextArea rows={2} data-testid="entry-openConditions" />
                </Form.Item>
              </Col>
            )}
          </Row>
        </Card>

        <Card title={t('entry.section.usage')} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="scopeOfUse" label={t('entry.scopeOfUse')}>
                <Input.TextArea rows={2} data-testid="entry-scopeOfUse" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="sharingPeriod" label={t('entry.sharingPeriod')} extra={t('editor.sharingPeriodHelp')}>
                <Input data-testid="entry-sharingPeriod" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="relatedSystems" label={t('entry.relatedSystems')} extra={t('editor.tagsHelp')}>
                <Select mode="tags" tokenSeparators={TAG_SEPARATORS} open={false} suffixIcon={null} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="relatedResourceCodes" label={t('entry.relatedResourceCodes')} extra={t('editor.tagsHelp')}>
                <Select mode="tags" tokenSeparators={TAG_SEPARATORS} open={false} suffixIcon={null} />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <ItemsEditor />
      </Form>

      <div className="ht-editor-footer">
        <Link to={entry ? `/catalog/entries/${entry.id}` : '/catalog/mine'}>
          <Button disabled={pending !== null}>{t('common.cancel')}</Button>
        </Link>
        <Button
          icon={<SaveOutlined />}
          loading={pending === 'save'}
          disabled={pending === 'submit'}
          onClick={() => void run('save')}
          data-testid="entry-save"
        >
          {t('editor.save')}
        </Button>
        <Button
          type="primary"
          icon={<SendOutlined />}
          loading={pending === 'submit'}
          disabled={pending === 'save'}
          onClick={() => void run('submit')}
          data-testid="entry-submit"
        >
          {t('editor.saveAndSubmit')}
        </Button>
      </div>
    </PageContainer>
  );
}

/** The editable 信息项 table (Form.List `items`). */
function ItemsEditor() {
  const { t } = useI18n();
  const dataTypeOptions = DATA_TYPES.map((v) => ({ value: v, label: t(`dataType.${v}`) }));
  const basicItems = useBasicItems({});
  const basicItemOptions = useMemo(
    () =>
      (basicItems.data?.items ?? []).map((b) => ({
        value: b.id,
        label: `${b.category} / ${b.name} · ${b.departmentName}`,
      })),
    [basicItems.data],
  );

  return (
    <Form.List name="items">
      {(fields, { add, remove }, { errors }) => {
        const columns: TableColumnsType<FormListFieldData> = [
          { title: '#', key: 'index', width: 48, align: 'center', render: (_, f) => f.name + 1 },
          {
            title: t('item.name'),
            key: 'name',
            width: 200,
            render: (_, f) => (
              <Form.Item name={[f.name, 'name']} rules={[{ required: true, whitespace: true, message: t('editor.itemNameRequired') }]}>
                <Input
                  name={`items.${f.name}.name`}
                  data-testid={`item-${f.name}-name`}
                  aria-label={`${t('editor.itemRow', { n: f.name + 1 })} ${t('item.name')}`}
                />
              </Form.Item>
            ),
          },
          {
            title: t('item.nameEn'),
            key: 'nameEn',
            width: 180,
            render: (_, f) => (
              <Form.Item
                name={[f.name, 'nameEn']}
                rules={[
                  { required: true, whitespace: true, message: t('editor.identifierRequired') },
                  { pattern: /^[A-Za-z][A-Za-z0-9_]{0,63}$/, message: t('editor.identifierPattern') },
                ]}
              >
                <Input
                  className="ht-mono"
                  name={`items.${f.name}.nameEn`}
                  data-testid={`item-${f.name}-nameEn`}
                  aria-label={`${t('editor.itemRow', { n: f.name + 1 })} ${t('item.nameEn')}`}
                />
              </Form.Item>
            ),
          },
          {
            title: t('item.dataType'),
            key: 'dataType',
            width: 150,
            render: (_, f) => (
              <Form.Item name={[f.name, 'dataType']} rules={[{ required: true, message: t('editor.dataTypeRequired') }]}>
                <Select
                  options={dataTypeOptions}
                  popupMatchSelectWidth={false}
                  data-testid={`item-${f.name}-dataType`}
                  aria-label={`${t('editor.itemRow', { n: f.name + 1 })} ${t('item.dataType')}`}
                />
              </Form.Item>
            ),
          },
          {
            title: t('item.length'),
            key: 'length',
            width: 110,
            render: (_, f) => (
              <Form.Item
                noStyle
                shouldUpdate={(prev: FormValues, next: FormValues) =>
                  prev.items?.[f.name]?.dataType !== next.items?.[f.name]?.dataType
                }
              >
                {({ getFieldValue }) => {
                  const unsized = isUnsized(getFieldValue(['items', f.name, 'dataType']));
                  return (
                    <Form.Item
                      name={[f.name, 'length']}
                      rules={unsized ? [] : [{ required: true, message: t('editor.lengthRequired') }]}
                    >
                      <InputNumber
                        min={1}
                        precision={0}
                        disabled={unsized}
                        placeholder={unsized ? '—' : undefined}
                        style={{ width: '100%' }}
                        name={`items.${f.name}.length`}
                        data-testid={`item-${f.name}-length`}
                        aria-label={`${t('editor.itemRow', { n: f.name + 1 })} ${t('item.length')}`}
                      />
                    </Form.Item>
                  );
                }}
              </Form.Item>
            ),
          },
          {
            title: t('item.codeList'),
            key: 'codeList',
            width: 170,
            render: (_, f) => (
              <Form.Item name={[f.name, 'codeList']}>
                <Input
                  name={`items.${f.name}.codeList`}
                  data-testid={`item-${f.name}-codeList`}
                  placeholder={t('editor.codeListPlaceholder')}
                  aria-label={`${t('editor.itemRow', { n: f.name + 1 })} ${t('item.codeList')}`}
                />
              </Form.Item>
            ),
          },
          {
            title: t('item.required'),
            key: 'required',
            width: 70,
            align: 'center',
            render: (_, f) => (
              <Form.Item name={[f.name, 'required']} valuePropName="checked">
                <Checkbox
                  name={`items.${f.name}.required`}
                  data-testid={`item-${f.name}-required`}
                  aria-label={`${t('editor.itemRow', { n: f.name + 1 })} ${t('item.required')}`}
                />
              </Form.Item>
            ),
          },
          {
            title: t('item.isIdentifier'),
            key: 'isIdentifier',
            width: 80,
            align: 'center',
            render: (_, f) => (
              <Form.Item name={[f.name, 'isIdentifier']} valuePropName="checked">
                <Checkbox
                  name={`items.${f.name}.isIdentifier`}
                  data-testid={`item-${f.name}-isIdentifier`}
                  aria-label={`${t('editor.itemRow', { n: f.name + 1 })} ${t('item.isIdentifier')}`}
                />
              </Form.Item>
            ),
          },
          {
            title: (
              <Tooltip title={t('item.basicItemHelp')}>
                <span>{t('item.basicItem')}</span>
              </Tooltip>
            ),
            key: 'basicItemId',
            width: 220,
            render: (_, f) => (
              <Form.Item name={[f.name, 'basicItemId']}>
                <Select
                  allowClear
                  showSearch={{ optionFilterProp: 'label' }}
                  options={basicItemOptions}
                  loading={basicItems.isPending}
                  placeholder={t('item.basicItemNone')}
                  popupMatchSelectWidth={false}
                  data-testid={`item-${f.name}-basicItemId`}
                  aria-label={`${t('editor.itemRow', { n: f.name + 1 })} ${t('item.basicItem')}`}
                />
              </Form.Item>
            ),
          },
          {
            title: '',
            key: 'remove',
            width: 56,
            align: 'center',
            render: (_, f) => (
              <Tooltip title={t('editor.removeItem')}>
                <Button
                  type="text"
                  danger
                  icon={<DeleteOutlined />}
                  aria-label={`${t('editor.removeItem')} ${f.name + 1}`}
                  data-testid={`item-${f.name}-remove`}
                  onClick={() => remove(f.name)}
                />
              </Tooltip>
            ),
          },
        ];
        return (
          <Card
            title={t('common.withCount', { label: t('entry.section.items'), count: fields.length })}
            extra={
              <Button icon={<PlusOutlined />} onClick={() => add({ ...EMPTY_ITEM })} data-testid="items-add">
                {t('editor.addItem')}
              </Button>
            }
            style={{ marginBottom: 16 }}
          >
            <Table<FormListFieldData>
              className="ht-items-table"
              size="small"
              rowKey="key"
              columns={columns}
              dataSource={fields}
              pagination={false}
              scroll={{ x: 1220 }}
              locale={{ emptyText: t('item.none') }}
            />
            <Form.ErrorList errors={errors} />
            <div className="ht-muted" style={{ marginTop: 8, fontSize: 12 }}>
              {t('editor.itemsHelp')}
            </div>
          </Card>
        );
      }}
    </Form.List>
  );
}
