import { batchFetchUrls, webFetch } from './fetch.js';
import { batchSearch, parallelSearchWithFilters, searchAndFetch, webSearch } from './search.js';

/** Every tool of the internet server; the original server's six, in its order. */
export const tools = [webSearch, webFetch, batchFetchUrls, batchSearch, searchAndFetch, parallelSearchWithFilters];
