package dev.cutout.spark;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;

/**
 * The driver's Hadoop configuration (with every {@code spark.hadoop.*} setting and the cluster's
 * site files), carried to the executors so that they open input and output paths with the same
 * credentials and connectors the driver listed them with.
 */
final class HadoopConf implements Serializable {
  private static final long serialVersionUID = 1L;

  private transient Configuration value;

  HadoopConf(Configuration value) {
    this.value = value;
  }

  Configuration get() {
    return value;
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    value.write(out);
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    value = new Configuration(false);
    value.readFields(in);
  }
}
