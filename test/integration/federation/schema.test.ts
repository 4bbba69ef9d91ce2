import { printSubgraphSchema } from '@apollo/subgraph';
import { describe, expect, it } from 'vitest';
import { useTestStack } from '../../support/harness.js';

const stack = useTestStack({ seed: 'minimal' });

describe('the subgraph schema', () => {
  it('prints as reviewed (a changed snapshot is a schema review item)', () => {
    expect(printSubgraphSchema(stack.app.schema)).toMatchSnapshot();
  });

  it('serves its SDL with every entity key to routers through _service', async () => {
    const result = await stack.execute({ query: '{ _service { sdl } }' });
    expect(result.errors).toBeUndefined();
    const sdl = (result.data as { _service: { sdl: string } })._service.sdl;
    // Federation 2 subgraphs answer with their full SDL, federation definitions included.
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.7"');
    for (const key of [
      /type Organization implements Node\s+@key\(fields: "id"\)\s+@key\(fields: "name"\)/,
      /type Group implements Node\s+@key\(fields: "id"\)\s/,
      /type User implements Node\s+@key\(fields: "id"\)\s+@key\(fields: "username"\)/,
      /type Role implements Node\s+@key\(fields: "id"\)\s/,
      /type PageInfo\s+@shareable/,
    ]) {
      expect(sdl).toMatch(key);
    }
  });

  it('describes every type, field, argument and enum value', () => {
    const missing: string[] = [];
    for (const type of Object.values(stack.app.schema.getTypeMap())) {
      if (type.name.startsWith('_') || type.name.startsWith('link__') || type.name.startsWith('federation__')) continue;
      if (['String', 'Boolean', 'Int', 'Float', 'ID'].includes(type.name)) continue;
      if (!type.description) missing.push(type.name);
      const config = type.toConfig() as { fields?: Record<string, { description?: string | null; args?: Record<string, { description?: string | null }> }>; values?: Record<string, { description?: string | null }> };
      for (const [field, def] of Object.entries(config.fields ?? {})) {
        if (field.startsWith('_')) continue;
        if (!def.description) missing.push(`${type.name}.${field}`);
        for (const [arg, argDef] of Object.entries(def.args ?? {})) if (!argDef.description) missing.push(`${type.name}.${field}(${arg})`);
      }
      for (const [value, def] of Object.entries(config.values ?? {})) if (!def.description) missing.push(`${type.name}.${value}`);
    }
    expect(missing).toEqual([]);
  });
});
