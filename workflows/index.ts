/**
 * The journeys a worker runs. Each is exported under its workflow type (the journey name in camelCase);
 * the worker checks that at start.
 */
export { abandonedCart } from './abandoned-cart';
