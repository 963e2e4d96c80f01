# datascience: rendered by imagesmith from images/datascience.yaml. Edit that file, not this one.
# base: image:datascience
FROM registry.acme/images/datascience:0123456789abcdef
USER root
# pip: every package reaches pip as one argument ("$@"), never through a shell's parsing
RUN ["/bin/sh", "-c", "pip install --no-cache-dir -- \"$@\"", "pip", \
     "transformers==4.41.2"]
