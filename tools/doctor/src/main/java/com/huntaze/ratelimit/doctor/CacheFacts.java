package com.huntaze.ratelimit.doctor;

import java.util.List;
import java.util.Optional;

/**
 * What the doctor learnt about the cache. Optional and nullable-free: a field ElastiCache (or moto) did not
 * return is empty, and the checks that need it report {@link Status#UNKNOWN} rather than guessing.
 */
public record CacheFacts(
    String id,
    String status,
    String engine,
    Optional<String> engineVersion,
    String nodeType,
    Optional<Boolean> clusterEnabled,
    Optional<String> multiAz,
    Optional<Boolean> transitEncryption,
    Optional<Boolean> authTokenEnabled,
    List<String> userGroupIds,
    Optional<String> primaryEndpoint,
    Optional<String> readerEndpoint,
    Optional<String> configurationEndpoint,
    List<String> nodeEndpoints,
    Optional<Integer> port,
    Optional<String> subnetGroup,
    Optional<String> vpcId,
    List<String> subnetIds,
    /** empty when ElastiCache did not list them (moto 5.2.1's DescribeCacheClusters omits SecurityGroups) */
    Optional<List<String>> securityGroupIds) {
}
