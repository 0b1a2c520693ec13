/** A small model with every shape type, for the query protocol's unit tests. */
import type { ShapeTable } from '../../model/validate-input.js';

export const testShapes: ShapeTable = {
  Input: {
    type: 'structure',
    members: {
      Name: { shape: 'Str' },
      Count: { shape: 'Int' },
      Big: { shape: 'Long' },
      Ratio: { shape: 'Dbl' },
      Enabled: { shape: 'Bool' },
      When: { shape: 'Time' },
      Data: { shape: 'Blob' },
      Secret: { shape: 'SecretStr' },
      Tags: { shape: 'TagList' },
      Names: { shape: 'StrList' },
      Attributes: { shape: 'StrMap' },
      Inner: { shape: 'Input' },
    },
    required: ['Name'],
  },
  Output: {
    type: 'structure',
    members: {
      Name: { shape: 'Str' },
      Count: { shape: 'Int' },
      Ratio: { shape: 'Dbl' },
      Enabled: { shape: 'Bool' },
      When: { shape: 'Time' },
      Secret: { shape: 'SecretStr' },
      Tags: { shape: 'TagList' },
      Names: { shape: 'StrList' },
      Attributes: { shape: 'StrMap' },
    },
  },
  Tag: { type: 'structure', members: { Key: { shape: 'Str' }, Value: { shape: 'Str' } }, required: ['Key'] },
  TagList: { type: 'list', member: 'Tag' },
  StrList: { type: 'list', member: 'Str' },
  StrMap: { type: 'map', key: 'Str', value: 'Str' },
  Str: { type: 'string' },
  SecretStr: { type: 'string', min: 8, sensitive: true },
  Int: { type: 'integer' },
  Long: { type: 'long' },
  Dbl: { type: 'double' },
  Bool: { type: 'boolean' },
  Time: { type: 'timestamp' },
  Blob: { type: 'blob' },
};
