export { claimBasicItem } from './basic-items.service.js';
export { catalogRoutes } from './catalog.routes.js';
export { catalogTransferRoutes } from './import-export.routes.js';
export { createEntry, findPublishedEntry, insertNewEntry, openNewVersion, parseEntryFields, transitionEntry, updateDraft } from './catalog.service.js';
export type { TEntryFields } from './catalog.schema.js';
export { addListItem } from './lists.service.js';
