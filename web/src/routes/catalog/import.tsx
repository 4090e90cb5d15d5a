import { DownloadOutlined, InboxOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Result, Table, type TableColumnsType, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { exportJsonLdUrl, exportXlsxUrl, useImportCatalog } from '../../api/catalog';
import { ApiError, type FieldProblem } from '../../api/client';
import { PageContainer } from '../../components/page-container';
import { ProblemAlert } from '../../components/states';
import { useT } from '../../i18n';
import { useNotify } from '../../lib/notify';

/** 批量导入: upload an xlsx; all rows are saved or, on any problem, none and the problems are listed. */
export default function CatalogImportPage() {
  const t = useT();
  const notify = useNotify();
  const importer = useImportCatalog();
  const [files, setFiles] = useState<UploadFile[]>([]);

  const file = files[0]?.originFileObj;
  const invalid = importer.error instanceof ApiError && importer.error.code === 'CATALOG_IMPORT_INVALID' ? importer.error : null;

  const start = () => {
    if (!file) return;
    importer.mutate(file, {
      onSuccess: (res) => notify.success(t('import.done', { count: res.created })),
    });
  };

  const columns: TableColumnsType<FieldProblem & { key: number }> = [
    { title: t('import.row'), dataIndex: 'row', width: 90, align: 'right', render: (v?: number) => v ?? '—' },
    { title: t('import.field'), dataIndex: 'field', width: 200, render: (v: string) => <span className="ht-mono">{v}</span> },
    { title: t('import.rule'), dataIndex: 'rule', width: 140, render: (v: string) => <span className="ht-mono">{v}</span> },
    { title: t('import.message'), dataIndex: 'message' },
  ];

  return (
    <PageContainer
      title={t('import.title')}
      subtitle={t('import.subtitle')}
      back="/catalog/mine"
      extra={
        <>
          <Button icon={<DownloadOutlined />} href={exportXlsxUrl({})}>
            {t('catalog.exportXlsx')}
          </Button>
          <Button icon={<DownloadOutlined />} href={exportJsonLdUrl()}>
            {t('catalog.exportJsonLd')}
          </Button>
        </>
      }
    >
      <Card>
        <Upload.Dragger
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          maxCount={1}
          fileList={files}
          beforeUpload={() => false}
          onChange={({ fileList }) => {
            setFiles(fileList.slice(-1));
            importer.reset();
          }}
          data-testid="import-file"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t('import.drop')}</p>
          <p className="ant-upload-hint">{t('import.hint')}</p>
        </Upload.Dragger>
        <div style={{ marginTop: 16, display: 'flex', justifyContent: 'flex-end' }}>
          <Button
            type="primary"
            icon={<UploadOutlined />}
            disabled={!file}
            loading={importer.isPending}
            onClick={start}
            data-testid="import-submit"
          >
            {t('import.start')}
          </Button>
        </div>
      </Card>

      {importer.isSuccess && (
        <Card>
          <Result
            status="success"
            title={t('import.done', { count: importer.data.created })}
            subTitle={t('import.doneHint')}
            extra={
              <Link to="/catalog/mine?status=draft">
                <Button type="primary">{t('import.toDrafts')}</Button>
              </Link>
            }
          />
        </Card>
      )}

      {invalid && (
        <Card title={t('import.errorsTitle', { count: invalid.errors.length })}>
          <Alert type="error" showIcon title={t('import.nothingSaved')} description={invalid.detail} style={{ marginBottom: 16 }} />
          <Table
            size="small"
            rowKey="key"
            columns={columns}
            dataSource={invalid.errors.map((e, i) => ({ ...e, key: i }))}
            pagination={invalid.errors.length > 50 ? { pageSize: 50 } : false}
            data-testid="import-errors"
          />
        </Card>
      )}
      {importer.error && !invalid && <ProblemAlert error={importer.error} />}
    </PageContainer>
  );
}
