import { GrantList } from './grant-list';

/** 数据使用方: which departments hold grants to my department's data. */
export default function DataHoldersPage() {
  return <GrantList side="provider" />;
}
