/**
 * When things should happen: the open-loop send schedule (intended send times per connection), the paced
 * connection ramp, and the run's timeline (load start, warm-up, measurement window), all as primitive
 * arithmetic on a nanosecond clock so that tests can drive them with a manual clock.
 */
package dev.ringside.bench.schedule;
