/**
 * Lambda functions whose environment variables are encrypted under a customer managed key
 * (ListFunctions: KMSKeyArn). A function cannot start once that key is disabled (AWS Lambda
 * Developer Guide, "Securing environment variables").
 */
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { allPages, foundFor, type Found, type ListingContext } from './listing';

export async function listLambdaFunctions(ctx: ListingContext): Promise<Found[]> {
  const client = ctx.clients.lambda(ctx.account, ctx.region);
  const functions = await allPages(async (Marker) => {
    const out = await ctx.call('Lambda ListFunctions', () =>
      client.send(new ListFunctionsCommand({ MaxItems: 50, Marker })),
    );
    return { items: out.Functions, next: out.NextMarker };
  });
  return functions.flatMap((fn) =>
    fn.FunctionArn
      ? foundFor(ctx, [fn.KMSKeyArn], { type: 'lambda:function', arn: fn.FunctionArn, probe: 'lambda' })
      : [],
  );
}
