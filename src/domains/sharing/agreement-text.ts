/**
 * The confidentiality agreement (保密协议) of a conditional or not-shared grant (SPEC C6; 002 §6,
 * §48; 001-data §21), generated from the request and the answer so both departments sign the
 * same words. Pure: the same terms always give the same text, so its hash identifies it.
 */

export type AgreementTerms = {
  requestNo: string;
  consumer: string;
  provider: string;
  entryCode: string;
  entryName: string;
  items: { name: string; nameEn: string; masking: 'none' | 'partial' }[];
  purpose: string;
  scope: string;
  periodFrom: string;
  periodUntil: string;
  legalBasis: string;
};

/** The duties the consumer takes on; each line cites where it comes from. */
const DUTIES = [
  '仅将共享数据用于本协议约定的用途和范围，不得用于其他目的（002 第六条、第四十八条）。Use the data only for the agreed purpose and scope.',
  '不得向任何第三方提供、转让或公开共享数据，不得以任何形式留存副本用于协议以外的用途（001 数据 第二十一条）。Do not pass the data on or keep copies for other uses.',
  '落实数据安全保护措施，仅限经授权的系统和人员访问，所有访问均留存审计记录。Protect the data; only authorised systems and people access it; every access is audited.',
  '发现数据泄露、错误或滥用时，立即通知提供部门和主管部门。Report any leak, error or misuse to the provider and the authority at once.',
  '使用期限届满或授权被撤销后，停止使用并删除已获取的数据。Stop using and delete the data when the period ends or the grant is revoked.',
];

const PROVIDER_DUTIES = [
  '按照本协议约定的信息项和脱敏方式提供数据，保证数据真实、准确、及时更新（一数一源）。Provide the agreed items, masked as agreed, accurate and up to date.',
  '对数据内容有异议的，按数据异议处理程序及时核查更正。Check and correct the data when it is disputed.',
];

/** The agreement's text, in Chinese with English glosses. */
export function agreementText(t: AgreementTerms): string {
  const items = t.items.map((i, n) => `  ${n + 1}. ${i.name}（${i.nameEn}）${i.masking === 'partial' ? '，脱敏提供 masked' : ''}`).join('\n');
  const numbered = (lines: string[]) => lines.map((l, n) => `  ${n + 1}. ${l}`).join('\n');
  return [
    `政务数据共享保密协议 Confidentiality agreement for shared government data`,
    `申请编号 Request: ${t.requestNo}`,
    '',
    `甲方（数据提供部门 provider）：${t.provider}`,
    `乙方（数据使用部门 consumer）：${t.consumer}`,
    '',
    `一、共享数据 Data: ${t.entryName}（${t.entryCode}）`,
    items,
    `二、用途 Purpose：${t.purpose}`,
    `三、使用范围 Scope：${t.scope}`,
    `四、使用期限 Period：${t.periodFrom} 至 ${t.periodUntil}`,
    `五、依据 Legal basis：${t.legalBasis || '（无）'}`,
    '六、乙方义务 Duties of the consumer：',
    numbered(DUTIES),
    '七、甲方义务 Duties of the provider：',
    numbered(PROVIDER_DUTIES),
    '八、本协议经双方共享专员在汇通平台确认后生效，授权自双方确认后开始。This agreement takes effect when both departments accept it on Huitong; the grant cannot start before.',
  ].join('\n');
}
