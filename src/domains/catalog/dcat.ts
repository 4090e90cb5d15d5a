import type { TVersion } from './catalog.present.js';
import type { CLASSIFICATIONS, SHARE_TYPES, UPDATE_FREQUENCIES } from './catalog.schema.js';

/*
 * The published catalog as DCAT-AP 3.0.1 JSON-LD, so provincial and national portals and any
 * DCAT harvester can read it. Terms are written as prefixed IRIs with an inline context: the
 * document expands without fetching anything, and every node a property points to carries its
 * @type, because the DCAT-AP range shapes check classes (dct:RightsStatement, dct:Frequency …).
 */

const CONTEXT = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
} as const;

const EU = 'http://publications.europa.eu/resource/authority';

/**
 * 共享类型 → EU access-right authority: unconditional sharing is open to every department,
 * conditional sharing needs a reviewed request, not-shared data stays with its provider.
 */
const ACCESS_RIGHTS = {
  unconditional: `${EU}/access-right/PUBLIC`,
  conditional: `${EU}/access-right/RESTRICTED`,
  none: `${EU}/access-right/NON_PUBLIC`,
} as const satisfies Record<(typeof SHARE_TYPES)[number], string>;

/** 更新周期 → EU frequency authority; 实时 is continuous, 每半年 is BIANNUAL (twice a year) there. */
const FREQUENCIES = {
  realtime: `${EU}/frequency/CONT`,
  daily: `${EU}/frequency/DAILY`,
  weekly: `${EU}/frequency/WEEKLY`,
  monthly: `${EU}/frequency/MONTHLY`,
  quarterly: `${EU}/frequency/QUARTERLY`,
  half_yearly: `${EU}/frequency/BIANNUAL`,
  yearly: `${EU}/frequency/ANNUAL`,
  irregular: `${EU}/frequency/IRREG`,
} as const satisfies Record<(typeof UPDATE_FREQUENCIES)[number], string>;

/**
 * 信息资源分类 as themes of the platform's own concept scheme: the EU data-theme vocabulary has
 * no counterpart for 基础 / 主题 / 部门, and a wrong mapping would mislead harvesters.
 */
const THEMES = {
  basic: { zh: '基础信息资源', en: 'Basic information resources' },
  thematic: { zh: '主题信息资源', en: 'Thematic information resources' },
  departmental: { zh: '部门信息资源', en: 'Departmental information resources' },
} as const satisfies Record<(typeof CLASSIFICATIONS)[number], { zh: string; en: string }>;

/** A department as a foaf:Agent. */
export type DcatAgent = { id: string; name: string; nameEn?: string };

/** What the export needs besides the entries: where the platform lives and who publishes the catalog. */
export type DcatOptions = {
  /** Public base URL of the platform, e.g. https://huitong.example.gov.cn; IRIs are built from it. */
  baseUrl: string;
  /** The authority that publishes the city catalog (001-data §14). */
  publisher: DcatAgent;
  /** Providing departments by id, for their English names; the version's department name is used otherwise. */
  agents?: ReadonlyMap<string, DcatAgent>;
  title?: { zh: string; en: string };
  description?: { zh: string; en: string };
};

type Node = Record<string, unknown> & { '@id': string };
type LangString = { '@value': string; '@language': string };

/** The JSON-LD document the export answers with. */
export type DcatDocument = { '@context': typeof CONTEXT; '@graph': Node[] };

function texts(zh: string, en?: string): LangString[] {
  const out: LangString[] = [{ '@value': zh, '@language': 'zh' }];
  if (en) out.push({ '@value': en, '@language': 'en' });
  return out;
}

const ref = (id: string) => ({ '@id': id });
const dateTime = (iso: string) => ({ '@value': iso, '@type': 'xsd:dateTime' });

/**
 * The published entries as a DCAT-AP 3.0.1 catalog: one dcat:Dataset per published version,
 * with publisher, access rights, frequency, theme, a distribution pointing at the entry's page
 * on the platform (access goes through a share request), and a dcat:DataService when the entry
 * is shared through the API.
 */
export function toDcatJsonLd(versions: readonly TVersion[], opts: DcatOptions): DcatDocument {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const catalogId = `${base}/catalog`;
  const schemeId = `${base}/catalog/themes`;
  const agentId = (id: string) => `${base}/orgs/departments/${id}`;
  const pageOf = (entryId: string) => `${base}/catalog/entries/${entryId}`;
  const datasetId = (entryId: string) => `${pageOf(entryId)}#dataset`;

  const published = versions.filter((v) => v.status === 'published');
  const agents = new Map<string, Node>();
  const addAgent = (a: DcatAgent) => {
    const id = agentId(a.id);
    if (!agents.has(id)) agents.set(id, { '@id': id, '@type': ['foaf:Agent', 'foaf:Organization'], 'foaf:name': texts(a.name, a.nameEn) });
    return id;
  };
  const publisherId = addAgent(opts.publisher);
  const byCode = new Map(published.map((v) => [v.code, v.entryId]));
  const usedRights = new Set<string>();
  const usedFrequencies = new Set<string>();
  const usedThemes = new Set<keyof typeof THEMES>();

  const datasets: Node[] = [];
  const distributions: Node[] = [];
  const services: Node[] = [];
  const documents: Node[] = [];
  for (const v of published) {
    const id = datasetId(v.entryId);
    const page = pageOf(v.entryId);
    const provider = addAgent(opts.agents?.get(v.departmentId) ?? { id: v.departmentId, name: v.departmentName });
    const rights = ACCESS_RIGHTS[v.shareType];
    const frequency = FREQUENCIES[v.updateFrequency];
    usedRights.add(rights);
    usedFrequencies.add(frequency);
    usedThemes.add(v.classification);

    const distribution: Node = {
      '@id': `${page}#distribution`,
      '@type': 'dcat:Distribution',
      'dct:title': texts(`${v.name}（经共享平台申请使用）`, v.nameEn ? `${v.nameEn} (on request through the sharing platform)` : undefined),
      'dcat:accessURL': ref(page),
    };
    if (v.shareManner.includes('api')) {
      const serviceId = `${page}#api`;
      services.push({
        '@id': serviceId,
        '@type': 'dcat:DataService',
        'dct:title': texts(`${v.name} 数据接口`, v.nameEn ? `${v.nameEn} API` : undefined),
        // Department systems call the platform API with their own credential (C7); the
        // OpenAPI document describes it.
        'dcat:endpointURL': ref(`${base}/api/v1`),
        'dcat:endpointDescription': ref(`${base}/api/openapi.json`),
        'dcat:servesDataset': ref(id),
        'dct:accessRights': ref(rights),
        'dct:publisher': ref(provider),
      });
      distribution['dcat:accessService'] = ref(serviceId);
    }
    distributions.push(distribution);
    documents.push({ '@id': page, '@type': 'foaf:Document' });

    const related = v.relatedResourceCodes.map((c) => byCode.get(c)).filter((e): e is string => e !== undefined);
    datasets.push({
      '@id': id,
      '@type': 'dcat:Dataset',
      'dct:identifier': v.code,
      'dct:title': texts(v.name, v.nameEn),
      'dct:description': texts(v.summary),
      'dct:publisher': ref(provider),
      ...(v.keywords.length ? { 'dcat:keyword': v.keywords.map((k) => ({ '@value': k, '@language': 'zh' })) } : {}),
      'dct:accessRights': ref(rights),
      'dct:accrualPeriodicity': ref(frequency),
      ...(v.publishedAt ? { 'dct:issued': dateTime(v.publishedAt) } : {}),
      'dcat:theme': ref(`${schemeId}/${v.classification}`),
      'dcat:landingPage': ref(page),
      'dcat:distribution': ref(distribution['@id']),
      ...(related.length ? { 'dct:relation': related.map((e) => ref(datasetId(e))) } : {}),
    });
  }

  const lastPublished = published.map((v) => v.publishedAt).filter((d): d is string => d !== null).sort().at(-1);
  const catalog: Node = {
    '@id': catalogId,
    '@type': 'dcat:Catalog',
    'dct:title': texts(opts.title?.zh ?? '政务信息资源目录', opts.title?.en ?? 'Government information resource catalog'),
    'dct:description': texts(
      opts.description?.zh ?? `${opts.publisher.name}发布的政务信息资源目录，共 ${published.length} 条已发布资源。`,
      opts.description?.en ?? `The government information resource catalog published by ${opts.publisher.nameEn || opts.publisher.name}: ${published.length} published resources.`,
    ),
    'dct:publisher': ref(publisherId),
    'dct:language': ref(`${EU}/language/ZHO`),
    ...(lastPublished ? { 'dct:modified': dateTime(lastPublished) } : {}),
    'dcat:themeTaxonomy': ref(schemeId),
    'dcat:dataset': datasets.map((d) => ref(d['@id'])),
    ...(services.length ? { 'dcat:service': services.map((s) => ref(s['@id'])) } : {}),
  };

  const vocabulary: Node[] = [
    { '@id': `${EU}/language/ZHO`, '@type': 'dct:LinguisticSystem' },
    ...[...usedRights].map((id): Node => ({ '@id': id, '@type': 'dct:RightsStatement' })),
    ...[...usedFrequencies].map((id): Node => ({ '@id': id, '@type': 'dct:Frequency' })),
    { '@id': schemeId, '@type': 'skos:ConceptScheme', 'dct:title': texts('信息资源分类', 'Information resource classification') },
    ...[...usedThemes].map(
      (t): Node => ({ '@id': `${schemeId}/${t}`, '@type': 'skos:Concept', 'skos:prefLabel': texts(THEMES[t].zh, THEMES[t].en), 'skos:inScheme': ref(schemeId) }),
    ),
  ];

  return {
    '@context': CONTEXT,
    '@graph': [catalog, ...datasets, ...distributions, ...services, ...documents, ...agents.values(), ...vocabulary],
  };
}
