/** log(2π). */
export const LOG_2PI = Math.log(2 * Math.PI);
/** log(2πe) = log(2π) + 1, the constant in the differential entropy of a Gaussian. */
export const LOG_2PI_E = LOG_2PI + 1;
/** Entropy of a standard normal in nats, ½·log(2πe) ≈ 1.4189385. */
export const STANDARD_NORMAL_ENTROPY = 0.5 * LOG_2PI_E;
