/**
 * The workflows a worker runs: the journeys, each exported under its workflow type (the journey name in
 * camelCase, which the worker checks at start), and the customer's contact entity.
 */
export { abandonedCart } from './abandoned-cart';
export { contact } from '../src/contact/contact-workflow';
