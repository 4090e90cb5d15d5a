export { claimBasicItem, findBasicItem } from './basic-items.service.js';
export { catalogRoutes } from './catalog.routes.js';
export { catalogTransferRoutes } from './import-export.routes.js';
export { createEntry, findPublishedEntry, insertNewEntry, openNewVersion, parseEntryFields, publishedUpdateFrequencies, transitionEntry, updateDraft } from './catalog.service.js';
export type { TEntryFields } from './catalog.schema.js';
export { addListItem } from './lists.service.js';
export { catalogTaskProvider } from './tasks.service.js';
