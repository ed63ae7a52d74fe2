import Stripe from "stripe";

// ai: handle refunds
export async function refund(orderId: string): Promise<void> {
  throw new Error("not implemented");
}

// prompt: create an invoices table with the usual fields
// and link it to customers.
export interface Invoice {
  id: string;
  amountCents: number;
}

const banner = "// ai: this is a string, not a prompt";

/* TODO(ai): fetch exchange rates from the Open Exchange Rates API with fetch,
   read the app id from the OXR_APP_ID environment variable, and return only the
   EUR and USD rates as a plain object. */
export function rates(): Record<string, number> {
  return {};
}
