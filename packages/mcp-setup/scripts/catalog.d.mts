import type { Catalog } from '../src/catalog-types.js';

export function buildCatalog(): Promise<Catalog>;
export function catalogSource(catalog: Catalog): string;
