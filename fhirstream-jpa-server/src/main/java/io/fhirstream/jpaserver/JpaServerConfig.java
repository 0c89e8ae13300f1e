package io.fhirstream.jpaserver;

import ca.uhn.fhir.batch2.api.IJobMaintenanceService;
import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.batch2.jobs.export.BulkDataExportProvider;
import ca.uhn.fhir.batch2.maintenance.JobMaintenanceServiceImpl;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect;
import ca.uhn.fhir.jpa.model.entity.StorageSettings;
import ca.uhn.fhir.jpa.provider.IJpaSystemProvider;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.jpa.subscription.match.config.SubscriptionProcessorConfig;
import ca.uhn.fhir.jpa.subscription.match.deliver.email.IEmailSender;
import ca.uhn.fhir.jpa.subscription.submit.config.SubscriptionSubmitterConfig;
import ca.uhn.fhir.narrative2.NullNarrativeGenerator;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import jakarta.persistence.EntityManagerFactory;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.BasicDataSource;
import org.hl7.fhir.dstu2.model.Subscription.SubscriptionChannelType;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

/**
 * The Spring context of the server: HAPI's own R4 JPA configuration ({@link JpaR4Config}, {@link
 * HapiJpaConfig}), batch2 for bulk export, the subscription matcher and rest-hook delivery, plus
 * what HAPI leaves to the application (settings, H2 data source, entity manager factory,
 * transaction manager, the {@link RestfulServer}). Lucene/Elasticsearch indexing, validation,
 * terminology loading, MDM, narratives and package loading are left off: the server exists to
 * store, version, search and page resources the way a production HAPI server does.
 */
@Configuration
@Import({
  JpaR4Config.class,
  HapiJpaConfig.class,
  ThreadPoolFactoryConfig.class,
  JpaBatch2Config.class,
  Batch2JobsConfig.class,
  SubscriptionSubmitterConfig.class,
  SubscriptionProcessorConfig.class,
  SubscriptionChannelConfig.class
})
class JpaServerConfig {
  /** Largest {@code _count} honoured; larger requests get this many per page. */
  static final int MAX_PAGE_SIZE = 1000;

  /** Page size when a request names no {@code _count} (HAPI's own default is 10). */
  static final int DEFAULT_PAGE_SIZE = 100;

  /** How often batch2 advances its jobs (bulk export); HAPI's default is a minute. */
  static final long BATCH2_MAINTENANCE_MILLIS = 1000;

  @Bean
  JpaStorageSettings storageSettings() {
    JpaStorageSettings settings = new JpaStorageSettings();
    // A search repeated within a minute would otherwise get the first run's cached result list,
    // hiding writes made in between: change capture must see every write at once.
    settings.setReuseCachedSearchResultsForMillis(null);
    settings.setIndexMissingFields(StorageSettings.IndexEnabledEnum.DISABLED);
    settings.setHibernateSearchIndexFullText(false);
    settings.setHibernateSearchIndexSearchParams(false);
    settings.setFetchSizeDefaultMaximum(MAX_PAGE_SIZE);
    // Two kick-offs with the same parameters must each export the data as it is then, not hand
    // back the first job's files.
    settings.setEnableBulkExportJobReuse(false);
    return settings;
  }

  @Bean
  PartitionSettings partitionSettings() {
    return new PartitionSettings();
  }

  /** With no supported channel type HAPI neither activates Subscriptions nor matches writes. */
  @Bean
  SubscriptionSettings subscriptionSettings(JpaServerOptions options) {
    SubscriptionSettings settings = new SubscriptionSettings();
    if (options.subscriptions()) {
      settings.addSupportedSubscriptionType(SubscriptionChannelType.RESTHOOK);
    }
    // A new Subscription is activated at once rather than at the next 5 s submission pass;
    // notifications of other writes still go through that pass, as on any HAPI JPA server.
    settings.setSubscriptionChangeQueuedImmediately(true);
    return settings;
  }

  /** Email subscriptions are not among the supported types; HAPI's processor still wants one. */
  @Bean
  IEmailSender emailSender() {
    return details -> {
      throw new UnsupportedOperationException("this server delivers rest-hook subscriptions only");
    };
  }

  /**
   * Batch2 (bulk export) moves a job from one step to the next only in a maintenance pass, once a
   * minute by default: an export of a handful of resources took over four minutes. Set before the
   * scheduler starts (on context refresh), which is when HAPI reads the frequency.
   */
  @Bean
  SmartInitializingSingleton batch2MaintenanceEverySecond(IJobMaintenanceService maintenance) {
    return () ->
        ((JobMaintenanceServiceImpl) maintenance)
            .setScheduledJobFrequencyMillis(BATCH2_MAINTENANCE_MILLIS);
  }

  @Bean(destroyMethod = "close")
  BasicDataSource dataSource(JpaServerOptions options) {
    BasicDataSource dataSource = new BasicDataSource();
    dataSource.setDriverClassName(org.h2.Driver.class.getName());
    dataSource.setUrl(options.jdbcUrl());
    dataSource.setUsername("sa");
    dataSource.setPassword("");
    dataSource.setMaxTotal(options.dbConnections());
    return dataSource;
  }

  @Bean
  @Primary
  LocalContainerEntityManagerFactoryBean entityManagerFactory(
      ConfigurableListableBeanFactory beanFactory,
      FhirContext fhirContext,
      JpaStorageSettings storageSettings,
      DataSource dataSource) {
    LocalContainerEntityManagerFactoryBean factory =
        HapiEntityManagerFactoryUtil.newEntityManagerFactory(
            beanFactory, fhirContext, storageSettings);
    factory.setPersistenceUnitName("HAPI_PU");
    factory.setDataSource(dataSource);
    factory.setJpaProperties(hibernateProperties());
    return factory;
  }

  private static Properties hibernateProperties() {
    Properties properties = new Properties();
    properties.put("hibernate.dialect", HapiFhirH2Dialect.class.getName());
    // HAPI's schema migrator is for long-lived databases; a test database is created (or
    // brought up to date) by Hibernate from the entities in one pass.
    properties.put("hibernate.hbm2ddl.auto", "update");
    properties.put("hibernate.search.enabled", "false");
    properties.put("hibernate.format_sql", "false");
    properties.put("hibernate.show_sql", "false");
    properties.put("hibernate.jdbc.batch_size", "20");
    properties.put("hibernate.order_inserts", "true");
    properties.put("hibernate.order_updates", "true");
    return properties;
  }

  @Bean
  @Primary
  JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
    return new JpaTransactionManager(entityManagerFactory);
  }

  @Bean
  RestfulServer restfulServer(
      IFhirSystemDao<?, ?> systemDao,
      ResourceProviderFactory resourceProviders,
      IJpaSystemProvider systemProvider,
      JpaStorageSettings storageSettings,
      ISearchParamRegistry searchParamRegistry,
      IValidationSupport validationSupport,
      DatabaseBackedPagingProvider pagingProvider,
      BulkDataExportProvider bulkExportProvider) {
    FhirContext context = systemDao.getContext();
    context.setNarrativeGenerator(new NullNarrativeGenerator());
    RestfulServer server = new RestfulServer(context);
    server.registerProviders(resourceProviders.createProviders());
    server.registerProvider(systemProvider);
    server.registerProvider(bulkExportProvider);
    server.setServerConformanceProvider(
        new JpaCapabilityStatementProvider(
            server, systemDao, storageSettings, searchParamRegistry, validationSupport));
    pagingProvider.setDefaultPageSize(DEFAULT_PAGE_SIZE);
    pagingProvider.setMaximumPageSize(MAX_PAGE_SIZE);
    server.setPagingProvider(pagingProvider);
    server.setDefaultResponseEncoding(EncodingEnum.JSON);
    return server;
  }
}
