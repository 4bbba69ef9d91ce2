// Internal to src/emulator: request-body validation generated from contract.json. ThoughtSpot rejects wrong JSON
// types, unknown enum values, missing required fields and empty required strings with 400/10002, and silently
// ignores unknown fields (CONTRACT.md §1, §6.3); the validators here do the same and name the field path, what was
// expected and what arrived.

import type { SchemaNode } from './contract.js';

/** Checks a value and appends one message per problem to `errors`. */
export type Validator = (value: unknown, path: string, errors: string[]) => void;

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

/**
 * Compiles a request-body schema into a validator. The root must be an object schema; call the validator with the
 * parsed body and path `''`.
 */
export function compileBodyValidator(schema: SchemaNode): (body: Record<string, unknown>) => string[] {
  const validate = compile(schema);
  return (body) => {
    const errors: string[] = [];
    validate(body, '', errors);
    return errors;
  };
}

/** Describes a received JSON value for an error message: its JSON type and, for scalars, the value itself. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string': {
      if (value.length === 0) return 'an empty string';
      const shown = value.length > 60 ? value.slice(0, 57) + '...' : value;
      return `a string (${JSON.stringify(shown)})`;
    }
    case 'number':
      return `a number (${value})`;
    case 'boolean':
      return `a boolean (${value})`;
    default:
      return 'an object';
  }
}

function compile(node: SchemaNode): Validator {
  const expected = describeExpected(node);
  const check = compileType(node, expected);
  const nullable = node.nullable === true;
  return (value, path, errors) => {
    if (value === null) {
      if (!nullable) errors.push(invalid(path, expected, value));
      return;
    }
    check(value, path, errors);
  };
}

function compileType(node: SchemaNode, expected: string): Validator {
  if (node.any_of) {
    const alternatives = node.any_of.map((alt) => compile(alt));
    return (value, path, errors) => {
      for (const alternative of alternatives) {
        const scratch: string[] = [];
        alternative(value, path, scratch);
        if (scratch.length === 0) return;
      }
      errors.push(invalid(path, expected, value));
    };
  }
  switch (node.type) {
    case 'string': {
      if (node.enum) {
        const allowed = new Set(node.enum);
        return (value, path, errors) => {
          if (typeof value !== 'string' || !allowed.has(value)) errors.push(invalid(path, expected, value));
        };
      }
      const nonEmpty = node.required === true;
      return (value, path, errors) => {
        if (typeof value !== 'string' || (nonEmpty && value.length === 0)) errors.push(invalid(path, expected, value));
      };
    }
    case 'integer': {
      const min = node.format === 'int32' ? INT32_MIN : Number.MIN_SAFE_INTEGER;
      const max = node.format === 'int32' ? INT32_MAX : Number.MAX_SAFE_INTEGER;
      return (value, path, errors) => {
        if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
          errors.push(invalid(path, expected, value));
        }
      };
    }
    case 'number':
      return (value, path, errors) => {
        if (typeof value !== 'number' || !Number.isFinite(value)) errors.push(invalid(path, expected, value));
      };
    case 'boolean':
      return (value, path, errors) => {
        if (typeof value !== 'boolean') errors.push(invalid(path, expected, value));
      };
    case 'array': {
      const item = node.items ? compile(node.items) : null;
      return (value, path, errors) => {
        if (!Array.isArray(value)) {
          errors.push(invalid(path, expected, value));
          return;
        }
        if (item) for (let i = 0; i < value.length; i++) item(value[i], `${path}[${i}]`, errors);
      };
    }
    case 'object': {
      const fields = Object.entries(node.properties ?? {}).map(([name, child]) => ({
        name,
        required: child.required === true,
        expected: describeExpected(child),
        validate: compile(child),
      }));
      return (value, path, errors) => {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          errors.push(invalid(path, expected, value));
          return;
        }
        const record = value as Record<string, unknown>;
        // Unknown fields are ignored on purpose: ThoughtSpot does (CONTRACT.md §1).
        for (const field of fields) {
          const child = record[field.name];
          const childPath = path === '' ? field.name : `${path}.${field.name}`;
          if (child === undefined) {
            if (field.required) errors.push(`Missing required field "${childPath}": expected ${field.expected}.`);
            continue;
          }
          field.validate(child, childPath, errors);
        }
      };
    }
    default:
      // A node without a type only occurs around any_of, handled above; accept anything rather than guess.
      return () => {};
  }
}

function describeExpected(node: SchemaNode): string {
  let text: string;
  if (node.any_of) {
    const parts = node.any_of.map((alt) => describeExpected(alt));
    text = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}` : (parts[0] ?? 'a value');
  } else {
    switch (node.type) {
      case 'string':
        text = node.enum
          ? `one of ${node.enum.join(', ')}`
          : node.required === true
            ? 'a non-empty string'
            : 'a string';
        break;
      case 'integer':
        text =
          node.format === 'int32' ? `an int32 integer (${INT32_MIN} to ${INT32_MAX})` : 'an integer';
        break;
      case 'number':
        text = 'a number';
        break;
      case 'boolean':
        text = 'a boolean';
        break;
      case 'array':
        text = node.items ? `an array of ${plural(describeExpected({ ...node.items, nullable: false }))}` : 'an array';
        break;
      case 'object':
        text = 'an object';
        break;
      default:
        text = 'a value';
    }
  }
  return node.nullable === true ? `${text} or null` : text;
}

// "a string" → "strings", "an int32 integer (…)" → "int32 integers (…)", "one of A, B" → "values among A, B".
function plural(singular: string): string {
  if (singular.startsWith('one of ')) return `values among ${singular.slice('one of '.length)}`;
  return singular
    .split(/, | or /)
    .map((part) => part.replace(/^an? /, '').replace(/\b(string|integer|number|boolean|object|array)\b/, '$1s'))
    .join(' or ');
}

function invalid(path: string, expected: string, value: unknown): string {
  return `Invalid field "${path}": expected ${expected}, but got ${describeValue(value)}.`;
}
