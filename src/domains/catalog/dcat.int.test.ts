import fs from 'node:fs';
import path from 'node:path';
import jsonld from 'jsonld';
import { Parser, Store } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../../test/harness.js';

const FIXTURES = path.resolve('test/fixtures/dcat-ap-3.0.1');
const DCAT_AP_CONTEXT_URL = 'https://semiceu.github.io/DCAT-AP/releases/3.0.1/context/dcat-ap.jsonld';
const EU = 'http://publications.europa.eu/resource/authority';

/**
 * Serves the DCAT-AP context from the fixture and refuses every other URL, so the test never
 * reaches the network and fails loudly if the export starts depending on a remote document.
 */
const documentLoader = async (url: string) => {
  if (url === DCAT_AP_CONTEXT_URL) {
    return { contextUrl: undefined, documentUrl: url, document: JSON.parse(fs.readFileSync(path.join(FIXTURES, 'context.jsonld'), 'utf8')) };
  }
  throw new Error(`offline test: refusing to load ${url}`);
};

function turtle(file: string): Store {
  return new Store(new Parser().parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')));
}

async function toStore(doc: object): Promise<Store> {
  const nquads = (await jsonld.toRDF(doc as jsonld.JsonLdDocument, { format: 'application/n-quads', documentLoader } as jsonld.Options.ToRdf)) as unknown as string;
  return new Store(new Parser({ format: 'application/n-quads' }).parse(nquads));
}

type Violation = { message: string; path: string | undefined; focusNode: string | undefined; shape: string | undefined };

/** Validates against the core shapes and the class-range shapes of DCAT-AP 3.0.1. */
async function validate(doc: object): Promise<{ conforms: boolean; violations: Violation[] }> {
  const data = await toStore(doc);
  const violations: Violation[] = [];
  let conforms = true;
  for (const shapes of ['shapes.ttl', 'range.ttl']) {
    const report = await new SHACLValidator(turtle(shapes)).validate(data);
    conforms &&= report.conforms;
    for (const r of report.results) {
      violations.push({
        message: `${shapes}: ${r.message.map((m) => m.value).join('; ')}`,
        path: r.path?.value,
        focusNode: r.focusNode?.value,
        shape: r.sourceShape?.value,
      });
    }
  }
  return { conforms, violations };
}

type Node = Record<string, unknown> & { '@id': string; '@type': string | string[] };
const ofType = (graph: Node[], type: string) => graph.filter((n) => ([] as string[]).concat(n['@type']).includes(type));
const idOf = (v: unknown) => (v as { '@id': string })['@id'];

let t: TestPlatform;
let doc: { '@context': object; '@graph': Node[] };
beforeAll(async () => {
  t = await startTestPlatform();
  const res = await t.call({ method: 'GET', url: '/api/v1/catalog/export.jsonld', headers: { host: 'huitong.example.gov.cn' } });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/ld\+json/);
  doc = res.json();
});
afterAll(async () => {
  await t.close();
});

describe('DCAT-AP export', () => {
  it('conforms to the DCAT-AP 3.0.1 shapes and range shapes', async () => {
    const report = await validate(doc);
    if (!report.conforms) console.error('DCAT-AP violations:', JSON.stringify(report.violations.slice(0, 10), null, 2));
    expect(report.violations).toEqual([]);
    expect(report.conforms).toBe(true);
  });

  it('notices a dataset without a title (the validation is not vacuous)', async () => {
    const broken = structuredClone(doc);
    const dataset = ofType(broken['@graph'], 'dcat:Dataset')[0] as Node;
    delete dataset['dct:title'];
    const report = await validate(broken);
    expect(report.conforms).toBe(false);
    expect(report.violations.some((v) => v.path === 'http://purl.org/dc/terms/title' && v.focusNode === dataset['@id'])).toBe(true);
  });

  it('lists one dataset per published entry, published by its department', async () => {
    const published = await t.app.database.db.selectFrom('catalog_entries').select('id').where('published_version', 'is not', null).execute();
    const graph = doc['@graph'];
    const datasets = ofType(graph, 'dcat:Dataset');
    expect(datasets).toHaveLength(published.length);
    const catalog = ofType(graph, 'dcat:Catalog')[0] as Node;
    expect((catalog['dcat:dataset'] as unknown[]).map(idOf).sort()).toEqual(datasets.map((d) => d['@id']).sort());
    expect(catalog['@id']).toBe('http://huitong.example.gov.cn/catalog');
    const publisher = graph.find((n) => n['@id'] === idOf(catalog['dct:publisher'])) as Node;
    expect(publisher['foaf:name']).toEqual(expect.arrayContaining([{ '@value': '惠州市政务服务数据管理局', '@language': 'zh' }]));
  });

  it('maps share type, update frequency and the API share manner to DCAT-AP terms', async () => {
    const graph = doc['@graph'];
    const household = ofType(graph, 'dcat:Dataset').find((d) => (d['dct:title'] as { '@value': string }[]).some((x) => x['@value'] === '人口户籍信息')) as Node;
    expect(household['dct:identifier']).toMatch(/^101001\/\d{6}$/);
    expect(household['dct:title']).toEqual([
      { '@value': '人口户籍信息', '@language': 'zh' },
      { '@value': 'Household registration of residents', '@language': 'en' },
    ]);
    expect(idOf(household['dct:accessRights'])).toBe(`${EU}/access-right/PUBLIC`);
    expect(idOf(household['dct:accrualPeriodicity'])).toBe(`${EU}/frequency/CONT`);
    expect(household['dct:issued']).toMatchObject({ '@type': 'xsd:dateTime' });
    const distribution = graph.find((n) => n['@id'] === idOf(household['dcat:distribution'])) as Node;
    const service = graph.find((n) => n['@id'] === idOf(distribution['dcat:accessService'])) as Node;
    expect(service['@type']).toBe('dcat:DataService');
    expect(idOf(service['dcat:endpointURL'])).toBe('http://huitong.example.gov.cn/api/v1');

    const rights = new Set(ofType(graph, 'dcat:Dataset').map((d) => idOf(d['dct:accessRights'])));
    expect(rights).toEqual(new Set([`${EU}/access-right/PUBLIC`, `${EU}/access-right/RESTRICTED`, `${EU}/access-right/NON_PUBLIC`]));
    for (const d of ofType(graph, 'dcat:Dataset').filter((x) => idOf(x['dct:accessRights']).endsWith('NON_PUBLIC'))) {
      const dist = graph.find((n) => n['@id'] === idOf(d['dcat:distribution'])) as Node;
      expect(dist['dcat:accessURL']).toBeDefined();
    }
  });

  it('is self-contained: expands without loading any remote document', async () => {
    // The export carries its own prefixes, so harvesters need no context fetch. (The fixture's
    // official context cannot serve here anyway: jsonld.js rejects its `Xsd:dateTime` terms.)
    const refuseAll = async (url: string) => {
      throw new Error(`offline test: refusing to load ${url}`);
    };
    const expanded = await jsonld.expand(doc as jsonld.JsonLdDocument, { documentLoader: refuseAll } as jsonld.Options.Expand);
    expect(expanded.some((n) => (n['@type'] as string[] | undefined)?.includes('http://www.w3.org/ns/dcat#Dataset'))).toBe(true);
  });

  it('is public and audited', async () => {
    const audit = await t.app.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'catalog.exported').execute();
    expect(audit.some((a) => (a.details as { format?: string }).format === 'dcat-ap-jsonld')).toBe(true);
  });
});
