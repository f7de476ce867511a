export interface ServerGeneratorSchema {
  name: string;
  description?: string;
}
