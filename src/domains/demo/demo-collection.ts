import type { Ctx } from '../../platform/http/index.js';
import { citizenIdCheckChar } from '../../platform/validators/index.js';
import { submitBatch } from '../collection/index.js';

/**
 * The demo's collected data: the civil affairs bureau has loaded its minimum living allowance
 * recipients (最低生活保障信息) through the batch API in partial mode, so the provider's
 * workbench, the quality panel and the authority's overview have something to show, and a
 * handful of bad rows wait in quarantine to be fixed. Every value is made up; the ID numbers
 * are valid in form only.
 */

const SURNAMES = ['陈', '李', '黄', '张', '刘', '林', '吴', '叶', '钟', '曾', '邓', '罗'];
const GIVEN = ['伟', '芳', '秀英', '敏', '强', '丽', '志明', '海燕', '建华', '桂英', '国强', '美玲'];
/** How many recipients the demo loads (indexes 0 … 239). */
export const DEMO_RECIPIENTS = 240;
const RECIPIENTS = DEMO_RECIPIENTS;

/** A made-up citizen ID number of 惠城区 (441302) for person i, valid in form. */
export function demoCitizenId(i: number): string {
  const year = 1940 + (i % 60);
  const month = String(1 + (i % 12)).padStart(2, '0');
  const day = String(1 + ((i * 7) % 28)).padStart(2, '0');
  const first17 = `441302${year}${month}${day}${String(100 + i).slice(-3)}`;
  return first17 + citizenIdCheckChar(first17);
}

/** Recipient i's values as the demo sends them (the stored values too: all are already normalised). */
export function demoRecipient(i: number) {
  const size = 1 + (i % 5);
  return {
    values: {
      name: `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 5) % GIVEN.length]}`,
      citizen_id_number: demoCitizenId(i),
      minimum_living_allowance_certificate_number: `惠城低保${2023 + (i % 4)}-${String(i + 1).padStart(4, '0')}`,
      assistance_category: i % 3 === 0 ? '农村低保' : '城市低保',
      household_size: size,
      monthly_allowance: (i % 3 === 0 ? 780 : 960) * size,
      approval_date: `${2023 + (i % 4)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 27)).padStart(2, '0')}`,
      issuing_authority_name: '惠州市惠城区民政局',
      assistance_status: i % 17 === 0 ? '停保' : '在保',
    },
  };
}

/** Rows a provider typically gets wrong: a mistyped check digit, a value off the code list, a word in a number, a missing name, an impossible date. */
function badRows() {
  const typo = demoCitizenId(RECIPIENTS + 1);
  const wrongCheck = `${typo.slice(0, 17)}${typo.endsWith('0') ? '1' : '0'}`;
  const base = (i: number) => demoRecipient(RECIPIENTS + i).values;
  return [
    { values: { ...base(1), citizen_id_number: wrongCheck } },
    { values: { ...base(2), assistance_category: '城镇低保' } },
    { values: { ...base(3), household_size: '三' } },
    { values: { ...base(4), name: '' } },
    { values: { ...base(5), approval_date: '2025-02-30' } },
  ];
}

/** Loads the demo recipients as the civil affairs bureau's editor, through the real batch path. */
export async function seedDemoCollection(editor: Ctx, entryId: string): Promise<void> {
  const records = [...Array.from({ length: RECIPIENTS }, (_, i) => demoRecipient(i)), ...badRows()];
  await submitBatch(editor, { code: entryId, mode: 'partial', idempotencyKey: 'demo-dibao-2026', records });
}
