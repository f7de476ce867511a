/** One environment variable of a server, as its definition documents it. */
export interface CatalogVar {
  name: string;
  description: string;
  required: boolean;
  secret: boolean;
  default?: unknown;
}

/** One server mcp-setup can configure. */
export interface CatalogServer {
  /** The name it gets in a client's configuration, e.g. `goal-agent`. */
  id: string;
  /** Its folder under packages/ in a clone. */
  dir: string;
  package: string;
  bin: string;
  /** The bin's file inside the package, e.g. `dist/bundle/bin.js`. */
  binPath: string;
  description: string;
  /** Its own variables (the shared MCP_* ones are in Catalog.shared). */
  env: CatalogVar[];
}

export interface Catalog {
  /** The MCP_* variables every server reads. */
  shared: CatalogVar[];
  servers: CatalogServer[];
}
