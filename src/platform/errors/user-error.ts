/**
 * One error vocabulary. A UserError carries a Chinese message the person sees as it is;
 * anything else is a fault: logged, and answered with a short apology.
 */
export class UserError extends Error {
  constructor(
    message: string,
    public readonly code = 'bad_request',
    public readonly status = 400,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export class NotFoundError extends UserError {
  constructor(message: string) {
    super(message, 'not_found', 404);
  }
}

export class ForbiddenError extends UserError {
  constructor(message = '您没有权限进行此操作') {
    super(message, 'forbidden', 403);
  }
}

export const APOLOGY = '抱歉，系统出了点问题，请稍后再试；如果持续出现，请联系信访局管理员。';
