/** JMH benchmarks of the library, each beside the peer or baseline it is compared with. */
package dev.mlops.benchmarks;
