// JSON Schema keywords by what they do, for the walkers that read schemas out of the spec.

/** Keywords that describe a schema without changing what it accepts; `x-` extensions are also such. */
const ANNOTATIONS = new Set([
  'title',
  'description',
  'examples',
  'example',
  'default',
  'deprecated',
  '$comment',
  'readOnly',
  'writeOnly',
  'externalDocs',
  'xml',
]);

export const isAnnotation = (keyword: string): boolean => ANNOTATIONS.has(keyword) || keyword.startsWith('x-');

/** Keywords whose value maps names to schemas: their keys are names, not keywords. */
export const NAMED_SCHEMAS = new Set(['properties', 'patternProperties', 'dependentSchemas', '$defs']);

/** Keywords whose value is data (values or names), never a schema to walk into. */
export const DATA_KEYWORDS = new Set(['enum', 'const', 'required']);
