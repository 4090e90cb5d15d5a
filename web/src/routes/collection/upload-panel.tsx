import { DownloadOutlined, InboxOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Flex,
  Progress,
  Radio,
  Row,
  Space,
  Statistic,
  Table,
  type TableColumnsType,
  Typography,
  Upload as AntUpload,
  type UploadFile,
} from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import {
  type BatchMode,
  collectionKeys,
  isUploadRunning,
  type Upload,
  uploadErrorReportUrl,
  useStartUpload,
  useUpload,
  useUploads,
} from '../../api/collection';
import { EmptyState, ProblemAlert } from '../../components/states';
import { useT } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { UploadStatusTag } from './parts';

/** The error report link: a plain download of the xlsx the server writes. */
function ErrorReportButton({ code, upload, primary = false }: { code: string; upload: Upload; primary?: boolean }) {
  const t = useT();
  if (upload.rejected === 0 || isUploadRunning(upload)) return null;
  return (
    <Button
      type={primary ? 'primary' : 'default'}
      icon={<DownloadOutlined />}
      href={uploadErrorReportUrl(code, upload.id)}
      download
      data-testid="error-report"
    >
      {t('collection.upload.errorReport')}
    </Button>
  );
}

/** Live counters of one upload, polled twice a second until it ends, then its outcome. */
function UploadProgress({ code, uploadId, onTab, onAnother }: { code: string; uploadId: string; onTab: (tab: string) => void; onAnother: () => void }) {
  const t = useT();
  const upload = useUpload(code, uploadId);
  const u = upload.data;
  const qc = useQueryClient();
  const finished = Boolean(u && !isUploadRunning(u));

  // When the upload ends, the lists, counts and quality of the dataset have changed.
  useEffect(() => {
    if (!finished) return;
    void qc.invalidateQueries({ queryKey: collectionKeys.uploads(code) });
    void qc.invalidateQueries({ queryKey: collectionKeys.quality(code) });
    void qc.invalidateQueries({ queryKey: [...collectionKeys.dataset(code), 'batches'] });
    void qc.invalidateQueries({ queryKey: [...collectionKeys.dataset(code), 'quarantine'] });
    void qc.invalidateQueries({ queryKey: collectionKeys.datasets() });
  }, [finished, qc, code]);

  if (upload.error) return <ProblemAlert error={upload.error} />;
  if (!u) return <Progress percent={0} status="active" />;

  const running = isUploadRunning(u);
  const processed = u.accepted + u.rejected;
  const share = (n: number) => (u.rowsRead > 0 ? Math.min(100, Math.round((n / u.rowsRead) * 1000) / 10) : 0);
  const status = running ? 'active' : u.status === 'done' ? (u.rejected > 0 ? 'normal' : 'success') : 'exception';

  return (
    <Card
      size="small"
      title={
        <Flex gap={8} align="center" wrap>
          <span>{t('collection.upload.progress')}</span>
          <Typography.Text type="secondary" ellipsis style={{ maxWidth: 280 }}>
            {u.filename}
          </Typography.Text>
          <span data-testid="upload-status" data-status={u.status}>
            <UploadStatusTag status={u.status} />
          </span>
        </Flex>
      }
    >
      <Progress
        percent={running ? share(processed) : 100}
        success={{ percent: running ? share(u.accepted) : u.rowsRead > 0 ? share(u.accepted) : 100, strokeColor: '#52c41a' }}
        strokeColor={u.rejected > 0 ? '#ff4d4f' : undefined}
        status={status}
        aria-label={t('collection.upload.progress')}
      />
      <Row gutter={[16, 8]} style={{ marginTop: 8 }} aria-live="polite">
        <Col xs={12} sm={6}>
          <Statistic title={t('collection.upload.rowsRead')} value={u.rowsRead} data-testid="upload-rows-read" />
        </Col>
        <Col xs={12} sm={6}>
          <Statistic title={t('collection.upload.accepted')} value={u.accepted} styles={{ content: { color: '#389e0d' } }} data-testid="upload-accepted" />
        </Col>
        <Col xs={12} sm={6}>
          <Statistic
            title={t('collection.upload.rejected')}
            value={u.rejected}
            styles={{ content: u.rejected > 0 ? { color: '#cf1322' } : undefined }}
            data-testid="upload-rejected"
          />
        </Col>
        <Col xs={12} sm={6}>
          <Statistic title={t('collection.upload.unchanged')} value={u.unchanged} data-testid="upload-unchanged" />
        </Col>
      </Row>
      {!running && (
        <div style={{ marginTop: 16 }} data-testid="upload-result">
          {u.status === 'done' ? (
            <Alert
              type={u.rejected > 0 ? 'warning' : 'success'}
              showIcon
              title={t('collection.upload.doneSummary', { accepted: u.accepted, rejected: u.rejected, unchanged: u.unchanged })}
              description={u.rejected > 0 ? t(u.mode === 'partial' ? 'collection.upload.partialHint' : 'collection.upload.atomicHint') : undefined}
            />
          ) : (
            <Alert
              type="error"
              showIcon
              title={t(u.status === 'rejected' ? 'collection.upload.rejectedSummary' : 'collection.upload.failedSummary')}
              description={
                <>
                  {u.error?.message}
                  {u.error?.errors && u.error.errors.length > 0 && (
                    <ul className="ht-problem-list">
                      {u.error.errors.slice(0, 20).map((e) => (
                        <li key={`${e.field}-${e.rule}-${e.row ?? ''}`}>
                          <code>{e.field}</code> {e.message}
                        </li>
                      ))}
                    </ul>
                  )}
                </>
              }
            />
          )}
          <Space wrap style={{ marginTop: 12 }}>
            <ErrorReportButton code={code} upload={u} primary />
            {u.status === 'done' && u.mode === 'partial' && u.rejected > 0 && (
              <Button onClick={() => onTab('quarantine')} data-testid="to-quarantine">
                {t('collection.upload.toQuarantine')}
              </Button>
            )}
            <Button icon={<UploadOutlined />} onClick={onAnother}>
              {t('collection.upload.another')}
            </Button>
          </Space>
        </div>
      )}
    </Card>
  );
}

/** 上传: choose a file and a mode, follow the processing live, fetch the error report. */
export function UploadPanel({ code, onTab }: { code: string; onTab: (tab: string) => void }) {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const [mode, setMode] = useState<BatchMode>('partial');
  const [files, setFiles] = useState<UploadFile[]>([]);
  const start = useStartUpload(code);
  const uploads = useUploads(code);
  const current = params.get('upload') ?? undefined;

  const setCurrent = (id: string | null) =>
    setParams(
      (prev) => {
        const p = new URLSearchParams(prev);
        if (id) p.set('upload', id);
        else p.delete('upload');
        return p;
      },
      { replace: true },
    );

  const send = () => {
    const file = files[0]?.originFileObj;
    if (!file) return;
    start.mutate(
      { file, mode },
      {
        onSuccess: ({ uploadId }) => {
          setFiles([]);
          setCurrent(uploadId);
        },
      },
    );
  };

  const columns: TableColumnsType<Upload> = [
    { title: t('collection.upload.startedAt'), dataIndex: 'startedAt', render: (v: string) => formatDateTime(v, true) },
    { title: t('collection.upload.file'), dataIndex: 'filename', ellipsis: true },
    { title: t('collection.batch.mode'), dataIndex: 'mode', render: (v: BatchMode) => t(`collection.mode.${v}`) },
    { title: t('collection.upload.status'), dataIndex: 'status', render: (_, u) => <UploadStatusTag status={u.status} /> },
    { title: t('collection.upload.rowsRead'), dataIndex: 'rowsRead', align: 'right' },
    { title: t('collection.upload.accepted'), dataIndex: 'accepted', align: 'right' },
    { title: t('collection.upload.rejected'), dataIndex: 'rejected', align: 'right' },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, u) => (
        <Space size={0} wrap>
          <Button type="link" size="small" onClick={() => setCurrent(u.id)}>
            {t('common.view')}
          </Button>
          {u.rejected > 0 && !isUploadRunning(u) && (
            <Button type="link" size="small" href={uploadErrorReportUrl(code, u.id)} download>
              {t('collection.upload.errorReportShort')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Flex vertical gap={16}>
      {current ? (
        <UploadProgress code={code} uploadId={current} onTab={onTab} onAnother={() => setCurrent(null)} />
      ) : (
        <div>
          <Typography.Paragraph type="secondary">{t('collection.upload.hint')}</Typography.Paragraph>
          <fieldset className="ht-fieldset">
            <legend>{t('collection.upload.mode')}</legend>
            <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as BatchMode)} data-testid="upload-mode">
              <Flex vertical gap={8}>
                {(['partial', 'atomic'] as const).map((m) => (
                  <Radio key={m} value={m}>
                    <strong>{t(`collection.mode.${m}`)}</strong>
                    <div className="ht-muted" style={{ fontSize: 12 }}>
                      {t(`collection.mode.${m}Help`)}
                    </div>
                  </Radio>
                ))}
              </Flex>
            </Radio.Group>
          </fieldset>
          <div data-testid="upload-dragger" style={{ marginTop: 16 }}>
          <AntUpload.Dragger
            accept=".csv,.xlsx,.txt"
            maxCount={1}
            fileList={files}
            beforeUpload={() => false}
            onChange={({ fileList }) => setFiles(fileList.slice(-1))}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('collection.upload.drag')}</p>
            <p className="ant-upload-hint">{t('collection.upload.formats')}</p>
          </AntUpload.Dragger>
          </div>
          {start.error && (
            <div style={{ marginTop: 16 }}>
              <ProblemAlert error={start.error} />
            </div>
          )}
          <Button
            type="primary"
            icon={<UploadOutlined />}
            style={{ marginTop: 16 }}
            disabled={files.length === 0}
            loading={start.isPending}
            onClick={send}
            data-testid="upload-start"
          >
            {start.isPending ? t('collection.upload.sending') : t('collection.upload.start')}
          </Button>
        </div>
      )}

      <div>
        <Typography.Title level={5}>{t('collection.upload.recent')}</Typography.Title>
        {uploads.error && <ProblemAlert error={uploads.error} />}
        <Table<Upload>
          size="small"
          rowKey="id"
          columns={columns}
          dataSource={uploads.data?.items ?? []}
          loading={uploads.isFetching && !uploads.data}
          pagination={false}
          scroll={{ x: 860 }}
          locale={{ emptyText: <EmptyState description={t('collection.upload.none')} /> }}
        />
      </div>
    </Flex>
  );
}
