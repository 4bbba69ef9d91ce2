// Public to the rest of src: a validation rule that refuses operations of a type the schema does not define.
//
// graphql-js 16 validates a `mutation` or `subscription` document against a schema without that root type, then
// fails only at execution with an uncoded "Schema is not configured to execute mutation operation", which Apollo
// reports as an INTERNAL_SERVER_ERROR. As a validation error it is a GRAPHQL_VALIDATION_FAILED (HTTP 400) that names
// the problem, like any other document the schema cannot run (graphql-js 17 adds the same rule as
// KnownOperationTypesRule).

import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';

/** Reports every operation whose root type (`mutation`, `subscription`) the schema does not have. */
export function KnownOperationTypesRule(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      if (context.getSchema().getRootType(node.operation) != null) return;
      context.reportError(
        new GraphQLError(`This subgraph does not support ${node.operation} operations; it serves queries only.`, { nodes: node }),
      );
    },
  };
}
