/** What the capability modules throw for the HTTP layer to answer: 404 and 409 in the error shape. */
export class NotFoundError extends Error {}
export class ConflictError extends Error {}
