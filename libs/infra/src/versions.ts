/**
 * Pinned versions and default endpoints of the local stack. One place to bump a version.
 * Ports are the services' usual ones so that docker-compose and this provisioning are interchangeable.
 */
export const KAFKA_VERSION = '4.1.1';
export const SCALA_VERSION = '2.13';
/** slf4j binding so the broker logs through log4j2 instead of slf4j's silent NOP logger. */
export const LOG4J_VERSION = '2.24.3';
/** Apicurio Registry 3.x needs Java 21+. */
export const APICURIO_VERSION = '3.3.3';
export const APICURIO_MIN_JAVA = 21;
export const MAVEN_CENTRAL = 'https://repo1.maven.org/maven2';

export interface StackEndpoints {
  kafkaBrokers: string[];
  registryUrl: string;
  clickhouseUrl: string;
}

export interface LocalPorts {
  kafka: number;
  kafkaController: number;
  registry: number;
  registryManagement: number;
  clickhouseHttp: number;
  clickhouseTcp: number;
}

export const DEFAULT_PORTS: LocalPorts = {
  kafka: 9092,
  kafkaController: 9093,
  registry: 8081,
  registryManagement: 8082,
  clickhouseHttp: 8123,
  clickhouseTcp: 9000,
};

export function endpointsFor(ports: LocalPorts): StackEndpoints {
  return {
    kafkaBrokers: [`127.0.0.1:${ports.kafka}`],
    registryUrl: `http://127.0.0.1:${ports.registry}/apis/ccompat/v7`,
    clickhouseUrl: `http://127.0.0.1:${ports.clickhouseHttp}`,
  };
}
