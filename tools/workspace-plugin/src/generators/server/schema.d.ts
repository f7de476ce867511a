export interface ServerGeneratorSchema {
  name: string;
}
